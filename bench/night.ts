// One measured sync night on the local stack: the real planner (or resync enqueueing) fills a bench queue, and W
// concurrent deliveries of the real worker handler drain it, the way W Lambda instances with SQS batch size 1
// would. Figures come from the emulator (requests, 429s, accepted counts) and from the runs the worker recorded.
import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent } from 'aws-lambda';
import type { SyncRequest } from '../lambdas/core/model';
import type { AppDeps, SyncQueue } from '../lambdas/core/ports';
import { enqueueRun, newRunId } from '../lambdas/core/sync/enqueue';
import { createPlannerHandler } from '../lambdas/handlers/planner';
import { createWorkerHandler } from '../lambdas/handlers/worker';
import { workerProcess } from '../lambdas/wiring';
import type { WorkerHandler } from '../local/in-process-queue';
import { localContext } from '../local/lambda-context';
import { sqsRecord } from '../local/sqs-record';
import type { LocalStack } from '../local/stack';
import { PERIOD } from './workload';

const VISIBILITY_MS = 1_000;
const WORKER_TIMEOUT_MS = 300_000;
const COUNT_ROUTE = '/api/vendor-api/service/:serviceId/count';
const ACCOUNTS_ROUTE = '/api/vendor-api/organization/accounts';

interface Queued {
  messageId: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
}

/** A SyncQueue the bench drains with several concurrent workers (the stack's queue delivers one at a time). */
class BenchQueue implements SyncQueue {
  readonly pending: Queued[] = [];
  readonly deadLetters: Queued[] = [];
  inFlight = 0;
  deliveries = 0;

  async send(request: SyncRequest): Promise<void> {
    this.pending.push({ messageId: randomUUID(), body: JSON.stringify(request), receiveCount: 0, visibleAt: 0 });
  }

  /** Each message as `send` takes it; all are taken (no failure to report). */
  async sendBatch(requests: readonly SyncRequest[]): Promise<never[]> {
    for (const request of requests) await this.send(request);
    return [];
  }

  take(now: number): Queued | undefined {
    const i = this.pending.findIndex((m) => m.visibleAt <= now);
    if (i < 0) return undefined;
    const [m] = this.pending.splice(i, 1);
    return m;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drain(
  queue: BenchQueue,
  workers: WorkerHandler[],
  maxReceive: number,
  maxWallMs: number,
): Promise<void> {
  const stopAt = Date.now() + maxWallMs;
  const loop = async (worker: WorkerHandler) => {
    while (Date.now() < stopAt) {
      const m = queue.take(Date.now());
      if (!m) {
        if (queue.pending.length === 0 && queue.inFlight === 0) return;
        await sleep(10);
        continue;
      }
      m.receiveCount += 1;
      queue.inFlight += 1;
      queue.deliveries += 1;
      let failed = true;
      try {
        const event: SQSEvent = {
          Records: [
            sqsRecord({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, senderId: 'bench' }),
          ],
        };
        const res = await worker(event, localContext('worker', WORKER_TIMEOUT_MS) as Context);
        failed = (res?.batchItemFailures ?? []).some((f) => f.itemIdentifier === m.messageId);
      } catch {
        failed = true;
      } finally {
        queue.inFlight -= 1;
      }
      if (!failed) continue;
      if (m.receiveCount >= maxReceive) queue.deadLetters.push(m);
      else queue.pending.push({ ...m, visibleAt: Date.now() + VISIBILITY_MS });
    }
    throw new Error(`night did not finish within ${maxWallMs} ms`);
  };
  await Promise.all(workers.map(loop));
}

export interface NightCheck {
  expected: number;
  /** Expected lines Gradient never accepted in this night. */
  lost: number;
  /** Lines accepted more than once in this night. */
  duplicated: number;
  wrongValue: number;
  /** Lines accepted that were not expected to be sent (e.g. unchanged lines). */
  unexpected: number;
}

export interface NightResult {
  label: string;
  workers: number;
  budget: number;
  partners: number;
  /** Lines the runs computed. */
  lines: number;
  /** Lines the worker sent (run summaries). */
  sent: number;
  unchanged: number;
  failed: number;
  notMapped: number;
  requests: number;
  countRequests: number;
  accountListRequests: number;
  otherRequests: number;
  rateLimited: number;
  wallMs: number;
  achievedRps: number;
  peakRssMb: number;
  /** RSS of the bench process when the night started: dynalite's in-memory tables and the emulators live there. */
  rssBeforeMb: number;
  deliveries: number;
  deadLetters: number;
  runStatuses: Record<string, number>;
  check: NightCheck;
}

export interface NightSpec {
  label: string;
  /** Concurrent workers, sharing one budget (WORKER_MAX_CONCURRENCY = workers). */
  workers: number;
  /** 'nightly': the planner handler at this tick; 'full': a resync with full=true for these partners. */
  kind: { type: 'nightly'; tick: Date } | { type: 'full'; partnerIds: string[]; asOf: string; at: Date };
  /** Every line Gradient must receive in this night: `partnerId|serviceKey|accountId` → value. */
  expected: Map<string, number>;
  maxWallMs: number;
}

export async function runNight(stack: LocalStack, spec: NightSpec): Promise<NightResult> {
  const emulator = stack.emulator!;
  const queue = new BenchQueue();
  const deps: AppDeps = { ...stack.deps, queue };
  const getDeps = async () => deps;
  const workers = Array.from({ length: spec.workers }, () => {
    const worker = workerProcess(stack.env, { deps });
    return createWorkerHandler(async () => worker) as unknown as WorkerHandler;
  });

  const statsBefore = emulator.stats();
  const logBefore = emulator.requestLog().length;
  const countsBefore = emulator.counts().length;
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);

  const started = performance.now();
  let runId: string;
  let partnerIds: string[];
  if (spec.kind.type === 'nightly') {
    const planner = createPlannerHandler(getDeps);
    const plan = await planner({ scheduledTime: spec.kind.tick.toISOString() }, localContext('planner'));
    runId = plan.runId;
    partnerIds = [];
    for await (const p of deps.partners.listSyncEnabled()) partnerIds.push(p.partnerId);
  } else {
    runId = newRunId(spec.kind.at, 'resync', 'bench-full');
    partnerIds = spec.kind.partnerIds;
    for (const partnerId of partnerIds) {
      await enqueueRun(deps, {
        runId,
        partnerId,
        period: PERIOD,
        asOf: spec.kind.asOf,
        full: true,
        trigger: 'resync',
        queuedAt: spec.kind.at,
      });
    }
  }
  try {
    // The same maxReceiveCount the worker reads, so its last delivery is this queue's last one.
    await drain(queue, workers, stack.env.WORK_QUEUE_MAX_RECEIVE_COUNT, spec.maxWallMs);
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());

  const statsAfter = emulator.stats();
  const log = emulator.requestLog().slice(logBefore);
  const counts = emulator.counts().slice(countsBefore);
  const requests = statsAfter.requests - statsBefore.requests;
  const countRequests = log.filter((e) => e.route === COUNT_ROUTE).length;
  const accountListRequests = log.filter((e) => e.route === ACCOUNTS_ROUTE && e.method === 'GET').length;

  const result: NightResult = {
    label: spec.label,
    workers: spec.workers,
    budget: stack.env.GRADIENT_RATE_BUDGET,
    partners: partnerIds.length,
    lines: 0,
    sent: 0,
    unchanged: 0,
    failed: 0,
    notMapped: 0,
    requests,
    countRequests,
    accountListRequests,
    otherRequests: requests - countRequests - accountListRequests,
    rateLimited: statsAfter.rateLimited - statsBefore.rateLimited,
    wallMs,
    achievedRps: requests / (wallMs / 1000),
    peakRssMb: peakRss / 2 ** 20,
    rssBeforeMb: rssBefore / 2 ** 20,
    deliveries: queue.deliveries,
    deadLetters: queue.deadLetters.length,
    runStatuses: {},
    check: { expected: spec.expected.size, lost: 0, duplicated: 0, wrongValue: 0, unexpected: 0 },
  };
  for (const partnerId of partnerIds) {
    const run = await deps.runs.get(partnerId, runId);
    const status = run?.status ?? 'missing';
    result.runStatuses[status] = (result.runStatuses[status] ?? 0) + 1;
    if (!run) continue;
    result.lines += run.summary.lines;
    result.sent += run.summary.sent;
    result.unchanged += run.summary.unchanged;
    result.failed += run.summary.failed;
    result.notMapped += run.summary.notMapped;
  }
  result.check = await checkCounts(deps, partnerIds, counts, spec.expected);
  return result;
}

/** Compares what Gradient accepted in this night with what it should have received, line by line. */
async function checkCounts(
  deps: AppDeps,
  partnerIds: string[],
  counts: Array<{ organizationId: string; serviceId: string; accountId: string; unitCount: number }>,
  expected: Map<string, number>,
): Promise<NightCheck> {
  const partnerOfOrg = new Map<string, string>();
  for (const partnerId of partnerIds) {
    const p = await deps.partners.get(partnerId);
    if (p?.organizationId) partnerOfOrg.set(p.organizationId, partnerId);
  }
  const serviceKeyOf = new Map(
    (await deps.catalog.list()).flatMap((s) => (s.gradientServiceId ? [[s.gradientServiceId, s.serviceKey]] : [])),
  );
  const seen = new Map<string, number[]>();
  for (const c of counts) {
    const key = `${partnerOfOrg.get(c.organizationId) ?? c.organizationId}|${serviceKeyOf.get(c.serviceId) ?? c.serviceId}|${c.accountId}`;
    const values = seen.get(key) ?? [];
    values.push(c.unitCount);
    seen.set(key, values);
  }
  const check: NightCheck = { expected: expected.size, lost: 0, duplicated: 0, wrongValue: 0, unexpected: 0 };
  for (const [key, value] of expected) {
    const got = seen.get(key);
    if (!got) check.lost += 1;
    else if (got.at(-1) !== value) check.wrongValue += 1;
  }
  for (const [key, values] of seen) {
    if (values.length > 1) check.duplicated += 1;
    if (!expected.has(key)) check.unexpected += 1;
  }
  return check;
}
