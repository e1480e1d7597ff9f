// The work queue on SQS: planner and API send, the worker Lambda receives through its event source.
import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { errorMessage } from '../core/errors';
import type { SyncRequest } from '../core/model';
import { QUEUE_BATCH_MAX, type QueueBatchFailure, type SyncQueue } from '../core/ports';

/** What a message carries on the wire, alone or in a batch: the request as JSON, partner and run as attributes. */
const messageOf = (request: SyncRequest) => ({
  MessageBody: JSON.stringify(request),
  MessageAttributes: {
    partnerId: { DataType: 'String', StringValue: request.partnerId },
    runId: { DataType: 'String', StringValue: request.runId },
  },
});

const reasonOf = (e: Pick<BatchResultErrorEntry, 'Code' | 'Message'>): string =>
  e.Message ? `${e.Code}: ${e.Message}` : `${e.Code}`;

export class SqsSyncQueue implements SyncQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(request: SyncRequest, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        ...messageOf(request),
        ...(options.delaySeconds !== undefined && { DelaySeconds: options.delaySeconds }),
      }),
    );
  }

  /**
   * One SendMessageBatch; the entries SQS failed on its side (not `SenderFault`) are sent once more, since a
   * second attempt may well succeed, while a sender fault (a malformed entry) would fail the same way again.
   * An entry SQS answered neither way counts as failed: nothing is reported sent that SQS did not confirm.
   */
  async sendBatch(requests: readonly SyncRequest[]): Promise<QueueBatchFailure[]> {
    if (requests.length > QUEUE_BATCH_MAX) {
      throw new Error(`a batch takes at most ${QUEUE_BATCH_MAX} messages, not ${requests.length}`);
    }
    // The entry id is the message's place in the batch: unique within it, and what a failure is reported by.
    const entries = requests.map((request, index) => ({ Id: String(index), ...messageOf(request) }));
    const first = await this.sendEntries(entries);
    const retry = first.filter((f) => !f.senderFault);
    if (retry.length === 0) return first.map(failureOf);
    let second: BatchFailure[];
    try {
      second = await this.sendEntries(entries.filter((e) => retry.some((f) => f.id === e.Id)));
    } catch (error) {
      // The others were sent: only the retried entries are unsent.
      const reason = errorMessage(error);
      second = retry.map((f) => ({ ...f, error: reason }));
    }
    return [...first.filter((f) => f.senderFault), ...second].map(failureOf).sort((a, b) => a.index - b.index);
  }

  private async sendEntries(entries: SendMessageBatchRequestEntry[]): Promise<BatchFailure[]> {
    if (entries.length === 0) return [];
    const res = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
    const sent = new Set((res.Successful ?? []).map((s) => s.Id));
    const failed = new Map((res.Failed ?? []).map((f) => [f.Id, f]));
    return entries
      .filter((e) => !sent.has(e.Id))
      .map((e) => {
        const f = failed.get(e.Id);
        return f
          ? { id: e.Id!, senderFault: f.SenderFault === true, error: reasonOf(f) }
          : { id: e.Id!, senderFault: false, error: 'SQS answered neither success nor failure for the entry' };
      });
  }
}

interface BatchFailure {
  id: string;
  senderFault: boolean;
  error: string;
}

const failureOf = (f: BatchFailure): QueueBatchFailure => ({ index: Number(f.id), error: f.error });

export const createSqsClient = (): SQSClient =>
  new SQSClient({ requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 } });
