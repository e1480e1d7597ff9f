// The calendar bench's simulated world: virtual time (a discrete-event clock, so 90 nights of pacing take no
// wall time), a vendor-wide Gradient in memory that holds each line's count and answers 429 past 100 requests in
// a virtual second, and a queue drained by W concurrent deliveries of the real worker handler.
import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent } from 'aws-lambda';
import { GradientNotMappedError, GradientRateLimitedError } from '../lambdas/core/errors';
import type { SyncRequest } from '../lambdas/core/model';
import type {
  Clock,
  GradientAccount,
  GradientAccountInput,
  GradientPort,
  GradientSku,
  SyncQueue,
} from '../lambdas/core/ports';
import { busiestSlidingWindow } from '../local/gradient-emulator';
import type { WorkerHandler } from '../local/in-process-queue';
import { seededRandom } from '../local/seeded-random';
import { sqsRecord } from '../local/sqs-record';

/** Time that moves only when every runnable task waits: sleeps wake in order, as if they had really waited. */
export class VirtualClock implements Clock {
  private timers: Array<{ at: number; resolve: () => void }> = [];
  private scheduled = false;
  constructor(public ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const at = this.ms + Math.max(0, ms);
      let i = this.timers.length;
      while (i > 0 && this.timers[i - 1]!.at > at) i--;
      this.timers.splice(i, 0, { at, resolve });
      this.schedule();
    });
  }
  set(ms: number): void {
    this.ms = Math.max(this.ms, ms);
  }
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs once the microtasks drained: everything runnable has run, so the next timer is due.
    setImmediate(() => {
      this.scheduled = false;
      const next = this.timers.shift();
      if (!next) return;
      this.ms = Math.max(this.ms, next.at);
      next.resolve();
      if (this.timers.length > 0) this.schedule();
    });
  }
}

export interface GradientTally {
  requests: number;
  countPosts: number;
  /** Count posts whose value differs from what Gradient held for the line: a change the MSP approves. */
  countChanges: number;
  /**
   * Count posts of a value other than the one last posted for the line (the first post of a line counts): the
   * sends a diff cannot avoid. The other posts repeat a value (verification, a refused line tried again).
   */
  newValuePosts: number;
  notMapped: number;
  /** Alerts posted (billing-health tickets), not counting the ticket look-ups. */
  alertPosts: number;
  /** Alert posts and ticket look-ups: the alerts' share of the requests. */
  alertRequests: number;
  rateLimited: number;
  /** Requests by partner key. */
  byKey: Record<string, number>;
  /** The virtual instant of each partner key's last request. */
  lastAtByKey: Record<string, number>;
  /** The most requests that arrived in one sliding second ([t, t + 1 s)), as a strict Gradient counts. */
  busiestSecond: number;
}

const emptyTally = (): GradientTally => ({
  requests: 0,
  countPosts: 0,
  countChanges: 0,
  newValuePosts: 0,
  notMapped: 0,
  alertPosts: 0,
  alertRequests: 0,
  rateLimited: 0,
  byKey: {},
  lastAtByKey: {},
  busiestSecond: 0,
});

interface PartnerSide {
  organizationId: string;
  name: string;
  accounts: Map<string, GradientAccount>;
  mappedServices: Set<string>;
  /** serviceId|accountId → the count Gradient holds. */
  held: Map<string, number>;
  /** serviceId|accountId → the count last posted, accepted or refused. */
  posted: Map<string, number>;
  unmappedServiceNames: Set<string>;
}

/** Gradient for the whole vendor: one rate window shared by every partner key, latency in virtual time. */
export class SimGradient {
  tally = emptyTally();
  private readonly skus: GradientSku[] = [];
  private readonly partners = new Map<string, PartnerSide>();
  private window = { second: -1, used: 0 };
  /** The virtual instants requests arrived at since the last tally. */
  private arrivals: number[] = [];
  private readonly random = seededRandom(7);

  constructor(
    private readonly clock: VirtualClock,
    private readonly perSecond = 100,
    private readonly latencyMs = { min: 20, max: 50 },
  ) {}

  /** A partner key; services named in `unmapped` stay unmapped in Synthesize (their counts get 404). */
  addPartner(key: string, name: string, unmapped: string[] = []): void {
    this.partners.set(key, {
      organizationId: `org-${this.partners.size + 1}`,
      name,
      accounts: new Map(),
      mappedServices: new Set(),
      held: new Map(),
      posted: new Map(),
      unmappedServiceNames: new Set(unmapped),
    });
  }

  takeTally(): GradientTally {
    const t = { ...this.tally, busiestSecond: busiestSlidingWindow(this.arrivals) };
    this.tally = emptyTally();
    this.arrivals = [];
    return t;
  }

  private async request(key: string): Promise<void> {
    this.tally.requests += 1;
    this.tally.byKey[key] = (this.tally.byKey[key] ?? 0) + 1;
    const ms = this.clock.ms;
    this.arrivals.push(ms);
    this.tally.lastAtByKey[key] = ms;
    const second = Math.floor(ms / 1000);
    if (this.window.second !== second) this.window = { second, used: 0 };
    if (this.window.used >= this.perSecond) {
      this.tally.rateLimited += 1;
      throw new GradientRateLimitedError('Too Many Requests', (second + 1) * 1000 - ms);
    }
    this.window.used += 1;
    const { min, max } = this.latencyMs;
    await this.clock.sleep(min + this.random() * (max - min));
  }

  port(key: string): GradientPort {
    const side = this.partners.get(key);
    if (!side) throw new Error('bench: unknown partner key');
    const request = () => this.request(key);
    const mapSku = (sku: GradientSku) => {
      if (!side.unmappedServiceNames.has(sku.name)) side.mappedServices.add(sku.id);
    };
    return {
      getOrganization: async () => {
        await request();
        return { organizationId: side.organizationId, name: side.name };
      },
      updateIntegrationStatus: async () => {
        await request();
      },
      listClientNames: async () => {
        await request();
        return [];
      },
      listAccounts: async () => {
        await request();
        return [...side.accounts.values()].map((a) => ({ ...a }));
      },
      createAccounts: async (accounts: GradientAccountInput[]) => {
        for (let i = 0; i < accounts.length; i += 100) await request();
        // The MSP maps every company it bills (the PSA names match).
        for (const a of accounts) side.accounts.set(a.id, { ...a, isMapped: true });
      },
      updateAccount: async (accountId, patch) => {
        await request();
        const a = side.accounts.get(accountId);
        if (a) Object.assign(a, patch);
      },
      listVendorServices: async () => {
        await request();
        for (const sku of this.skus) mapSku(sku);
        return this.skus.map((s) => ({ ...s }));
      },
      createVendorService: async (service) => {
        await request();
        const sku = { id: `sku-${this.skus.length + 1}`, ...service } as GradientSku;
        this.skus.push(sku);
        mapSku(sku);
        return this.skus.map((s) => ({ ...s }));
      },
      setUnitCount: async (serviceId, accountId, unitCount) => {
        this.tally.countPosts += 1;
        await request();
        const line = `${serviceId}|${accountId}`;
        if (side.posted.get(line) !== unitCount) this.tally.newValuePosts += 1;
        side.posted.set(line, unitCount);
        if (!side.accounts.get(accountId)?.isMapped || !side.mappedServices.has(serviceId)) {
          this.tally.notMapped += 1;
          throw new GradientNotMappedError(`No account map found with id: ${accountId}`, 404);
        }
        if (side.held.get(line) !== unitCount) this.tally.countChanges += 1;
        side.held.set(line, unitCount);
      },
      postAlert: async (_accountId, alert) => {
        this.tally.alertPosts += 1;
        this.tally.alertRequests += 1;
        await request();
        return { messageId: `msg-${alert.alertId}`, alertId: alert.alertId };
      },
      getAlertTicket: async (messageId) => {
        this.tally.alertRequests += 1;
        await request();
        return { ticketId: `T-${messageId}`, status: 'success' };
      },
    };
  }
}

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
}

/** The work queue as SQS would run it for the worker: visibility timeout, maxReceiveCount, a DLQ. */
export class SimQueue implements SyncQueue {
  private pending: Message[] = [];
  deadLetters = 0;
  deliveries = 0;
  sends = 0;
  workerMs = 0;
  constructor(
    private readonly clock: VirtualClock,
    private readonly visibilityMs: number,
    private readonly maxReceive: number,
  ) {}

  async send(request: SyncRequest, options?: { delaySeconds?: number }): Promise<void> {
    this.sends += 1;
    const visibleAt = this.clock.ms + (options?.delaySeconds ?? 0) * 1000;
    this.pending.push({ id: randomUUID(), body: JSON.stringify(request), receiveCount: 0, visibleAt });
  }

  /** Each message as `send` takes it; all are taken (no failure to report). */
  async sendBatch(requests: readonly SyncRequest[]): Promise<never[]> {
    for (const request of requests) await this.send(request);
    return [];
  }

  /** Delivers until the queue is empty, with `workers` deliveries at a time, each one message (batch size 1). */
  async drain(workers: WorkerHandler[], timeoutMs: number): Promise<void> {
    let inFlight = 0;
    const loop = async (worker: WorkerHandler) => {
      for (;;) {
        const now = this.clock.ms;
        const i = this.pending.findIndex((m) => m.visibleAt <= now);
        if (i < 0) {
          if (this.pending.length === 0 && inFlight === 0) return;
          const soonest = Math.min(...this.pending.map((m) => m.visibleAt), now + 1_000);
          await this.clock.sleep(Math.max(50, soonest - now));
          continue;
        }
        const [m] = this.pending.splice(i, 1) as [Message];
        m.receiveCount += 1;
        inFlight += 1;
        this.deliveries += 1;
        const started = this.clock.ms;
        let failed = true;
        try {
          const event: SQSEvent = {
            Records: [sqsRecord({ messageId: m.id, body: m.body, receiveCount: m.receiveCount, senderId: 'bench' })],
          };
          const res = await worker(event, this.context(timeoutMs));
          failed = (res?.batchItemFailures ?? []).some((f) => f.itemIdentifier === m.id);
        } catch {
          failed = true;
        } finally {
          inFlight -= 1;
          this.workerMs += this.clock.ms - started;
        }
        if (!failed) continue;
        if (m.receiveCount >= this.maxReceive) this.deadLetters += 1;
        else this.pending.push({ ...m, visibleAt: this.clock.ms + this.visibilityMs });
      }
    };
    await Promise.all(workers.map(loop));
  }

  /** A Lambda context whose deadline runs on the virtual clock. */
  private context(timeoutMs: number): Context {
    const deadline = this.clock.ms + timeoutMs;
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName: 'bench-worker',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:bench-worker',
      memoryLimitInMB: '1024',
      awsRequestId: randomUUID(),
      logGroupName: '/bench/worker',
      logStreamName: 'bench',
      getRemainingTimeInMillis: () => Math.max(0, deadline - this.clock.ms),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
  }
}
