// The local stand-in for SQS + the Lambda event source: messages are delivered to the real worker handler in
// the SQS event shape; a message in flight is invisible to other consumers, items the worker reports as failed
// come back after a visibility delay, a message sent with a delay waits for it, and past maxReceiveCount
// messages go to a dead-letter list — the same contract the deployed queue gives the worker. Several handlers
// may consume at once, each serving one invocation at a time like one Lambda instance.
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { SyncMessage } from '../lambdas/core/model';
import { QUEUE_BATCH_MAX, type QueueBatchFailure, type SyncQueue } from '../lambdas/core/ports';
import { WORK_QUEUE_MAX_RECEIVE_COUNT, WORKER_TIMEOUT_SECONDS } from '../lambdas/shared/settings';
import { localContext } from './lambda-context';
import { sqsRecord } from './sqs-record';

export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  sentAt: number;
}

export interface InProcessQueueOptions {
  /** Deliveries before a message moves to the dead-letter list (SQS maxReceiveCount). */
  maxReceiveCount?: number;
  /** Delay before a failed message is visible again (SQS visibility timeout, shortened for local runs). */
  visibilityTimeoutMs?: number;
  /** The longest a message sent with a delay waits (SQS DelaySeconds, shortened for local runs likewise). */
  maxDelayMs?: number;
  /** The Lambda timeout the worker sees through context.getRemainingTimeInMillis() (the deployed one by default). */
  functionTimeoutMs?: number;
  batchSize?: number;
}

export class InProcessQueue implements SyncQueue {
  private readonly messages: Message[] = [];
  readonly deadLetters: Array<{ messageId: string; body: string; receiveCount: number }> = [];
  private readonly maxReceiveCount: number;
  private readonly visibilityTimeoutMs: number;
  private readonly maxDelayMs: number;
  private readonly functionTimeoutMs: number;
  private readonly batchSize: number;
  private draining: Promise<void> | undefined;
  private auto: WorkerHandler | readonly WorkerHandler[] | undefined;

  constructor(options: InProcessQueueOptions = {}) {
    this.maxReceiveCount = options.maxReceiveCount ?? WORK_QUEUE_MAX_RECEIVE_COUNT;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? this.visibilityTimeoutMs;
    this.functionTimeoutMs = options.functionTimeoutMs ?? WORKER_TIMEOUT_SECONDS * 1_000;
    this.batchSize = options.batchSize ?? 1;
  }

  async send(request: SyncMessage, options: { delaySeconds?: number } = {}): Promise<void> {
    const now = Date.now();
    const delayMs = Math.min((options.delaySeconds ?? 0) * 1_000, this.maxDelayMs);
    this.messages.push({
      messageId: randomUUID(),
      body: JSON.stringify(request),
      receiveCount: 0,
      visibleAt: now + delayMs,
      sentAt: now,
    });
    if (this.auto) void this.drain(this.auto);
  }

  /** Each message as `send` takes it, so a batch is delivered like the messages one by one; all are taken. */
  async sendBatch(requests: readonly SyncMessage[]): Promise<QueueBatchFailure[]> {
    if (requests.length > QUEUE_BATCH_MAX) throw new Error(`TooManyEntriesInBatchRequest: ${requests.length} messages`);
    for (const request of requests) await this.send(request);
    return [];
  }

  /** In `npm run dev`: deliver every message as soon as it is sent, like the event source would. */
  startAutoDrain(workers: WorkerHandler | readonly WorkerHandler[]): void {
    this.auto = workers;
    void this.drain(workers);
  }

  get depth(): number {
    return this.messages.length;
  }

  /**
   * Delivers messages until the queue is empty (failed ones are retried after the visibility delay). Several
   * handlers consume concurrently, each one invocation at a time (a handler is one Lambda instance).
   */
  drain(workers: WorkerHandler | readonly WorkerHandler[]): Promise<void> {
    const consumers = typeof workers === 'function' ? [workers] : workers;
    this.draining ??= Promise.all(consumers.map((w) => this.consume(w)))
      .then(() => undefined)
      .finally(() => {
        this.draining = undefined;
      });
    return this.draining;
  }

  private async consume(worker: WorkerHandler): Promise<void> {
    while (this.messages.length > 0) {
      const now = Date.now();
      const visible = this.messages.filter((m) => m.visibleAt <= now).slice(0, this.batchSize);
      if (visible.length === 0) {
        // Messages in flight elsewhere are invisible (visibleAt ∞): look again soon, they may come back.
        const next = Math.min(...this.messages.map((m) => m.visibleAt));
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(5, next - now))));
        continue;
      }
      for (const m of visible) {
        m.receiveCount += 1;
        m.visibleAt = Number.POSITIVE_INFINITY;
      }
      const failed = await this.invoke(worker, visible);
      for (const m of visible) {
        this.messages.splice(this.messages.indexOf(m), 1);
        if (!failed.has(m.messageId)) continue;
        if (m.receiveCount >= this.maxReceiveCount) {
          this.deadLetters.push({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount });
        } else {
          this.messages.push({ ...m, visibleAt: Date.now() + this.visibilityTimeoutMs });
        }
      }
    }
  }

  private async invoke(worker: WorkerHandler, batch: Message[]): Promise<Set<string>> {
    const event: SQSEvent = {
      Records: batch.map((m) =>
        sqsRecord({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, sentAt: m.sentAt }),
      ),
    };
    try {
      const response = await worker(event, localContext('worker', this.functionTimeoutMs));
      return new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      // A thrown handler fails the whole batch, as Lambda does.
      return new Set(batch.map((m) => m.messageId));
    }
  }
}
