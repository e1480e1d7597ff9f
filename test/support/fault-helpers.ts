// Shared setup and the one invariant check of the fault tests: a partner with lines whose values the test
// knows in advance, a worker with fast retries, and the end-of-run check against what the emulator observed.
import type { SQSEvent } from 'aws-lambda';
import { workerClaimSize } from '../../lambdas/core/calls/shared-budget';
import { saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import type { LineReceipt, Run, SyncRequest } from '../../lambdas/core/model';
import type { AppDeps, GradientPort } from '../../lambdas/core/ports';
import { syncRequestOf } from '../../lambdas/core/sync/enqueue';
import { createWorkerHandler } from '../../lambdas/handlers/worker';
import { RATE_BUDGET_LANE_FLOOR_SHARE, RATE_BUDGET_LATE_MS } from '../../lambdas/shared/settings';
import { type WorkerSettings, workerProcess } from '../../lambdas/wiring';
import type { WorkerHandler } from '../../local/in-process-queue';
import { localContext } from '../../local/lambda-context';
import { sqsRecord } from '../../local/sqs-record';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack';

export const PARTNER = 'msp-faults';
export const PARTNER_KEY = 'faults-partner-key-0123456789abcdef';
let minute = 0;
/**
 * A new nightly tick each call. Ticks on Dec 1 close November: the planner computes as of Nov 30. `nightly` forgets
 * what Gradient holds first, so every run sends every line: the tests of one file share one seeded partner and
 * each run is checked on its own.
 */
export const nextTick = (): Date => new Date(Date.UTC(2026, 11, 1, 2, minute++));

/** Gradient's limit in the fault tests, and the worker's pace: faults, not pacing, set each test's length. */
export const EMULATOR_RATE = 400;
export const WORKER_RATE = 300;

/** A worker's shared budget at `perSecond` (vendor scope, claims of a tenth of a second's worth). */
export const workerRate = (perSecond: number): WorkerSettings['rate'] => ({
  perSecond,
  scope: 'vendor',
  claimSize: workerClaimSize(perSecond),
  fallbackPerSecond: perSecond,
  lateMs: RATE_BUDGET_LATE_MS,
  laneFloorShare: RATE_BUDGET_LANE_FLOOR_SHARE,
});

/** A stack for fault tests: fast redelivery, and every setting that lingers in process.env set explicitly. */
export function startFaultStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    ...options,
    emulator: { rateLimit: { perSecond: EMULATOR_RATE }, ...options.emulator },
    queue: { visibilityTimeoutMs: 10, maxReceiveCount: 5, ...options.queue },
    // LOCAL_WORKER_TIMEOUT_S empty: the deployed worker's timeout unless a test asks for a short one.
    env: { GRADIENT_TIMEOUT_MS: '5000', LOCAL_WORKER_TIMEOUT_S: '', ...options.env },
  });
}

/** Between tests sharing a stack: no fault or limit of one test reaches the next. */
export function resetSwitches(stack: LocalStack): void {
  stack.emulator!.clearFaults();
  stack.emulator!.setRateLimit({ perSecond: EMULATOR_RATE });
}

export interface ExpectedLine {
  accountId: string;
  serviceKey: string;
  value: number;
  /** Why the line cannot be accepted, known before the run; undefined when Gradient should accept it. */
  notMapped?: 'account' | 'service';
}

export interface SeededPartner {
  organizationId: string;
  /** serviceKey → Gradient service id. */
  serviceIds: Map<string, string>;
  lines: ExpectedLine[];
  /** Lines Gradient can accept: mapped account and mapped service. */
  sendable: ExpectedLine[];
  /** Lines the sync sends at least once: every line of a mapped account (an unmapped service answers 404). */
  sent: number;
}

export interface SeedOptions {
  accounts?: number;
  /** Every n-th account is unknown to the PSA, so Gradient reports it unmapped (never sent). */
  unmappedEvery?: number;
  /** Accounts (from the first mapped ones) that also use a service the PSA does not know: each answers 404. */
  unmappedServiceLines?: number;
}

const accountId = (i: number) => `acct-${String(i).padStart(3, '0')}`;

/**
 * Seeds one partner: `seats` (average of a constant carried in from October, so the value is that constant)
 * and `scans` (a sum of two snapshots in the period) for every account, plus `archive` (sum) for a few accounts
 * on a service the partner's PSA does not know. Saves the connection and syncs mappings before any fault.
 */
export async function seedPartner(stack: LocalStack, options: SeedOptions = {}): Promise<SeededPartner> {
  const { deps } = stack;
  const accounts = options.accounts ?? 30;
  const unmappedEvery = options.unmappedEvery ?? 10;
  const archiveLines = options.unmappedServiceLines ?? 3;
  const service = (name: string, aggregation: 'average' | 'sum') => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    aggregation,
  });
  await Promise.all([
    upsertService(deps, 'seats', service('Seats', 'average')),
    upsertService(deps, 'scans', service('Scans', 'sum')),
    archiveLines > 0 && upsertService(deps, 'archive', service('Archive', 'sum')),
  ]);

  const lines: ExpectedLine[] = [];
  const snapshots: Array<{ accountId: string; serviceKey: string; date: string; quantity: number }> = [];
  const psaCompanies: string[] = [];
  let archived = 0;
  const writes: Array<Promise<unknown>> = [];
  for (let i = 0; i < accounts; i++) {
    const id = accountId(i);
    const name = `Company ${i}`;
    writes.push(upsertAccount(deps, PARTNER, id, { name }));
    const mapped = (i + 1) % unmappedEvery !== 0;
    if (mapped) psaCompanies.push(name);
    const notMapped = mapped ? undefined : ('account' as const);
    const seats = (i % 7) + 1;
    snapshots.push({ accountId: id, serviceKey: 'seats', date: '2026-10-20', quantity: seats });
    lines.push({ accountId: id, serviceKey: 'seats', value: seats, ...(notMapped && { notMapped }) });
    snapshots.push({ accountId: id, serviceKey: 'scans', date: '2026-11-03', quantity: i });
    snapshots.push({ accountId: id, serviceKey: 'scans', date: '2026-11-09', quantity: 2 });
    lines.push({ accountId: id, serviceKey: 'scans', value: i + 2, ...(notMapped && { notMapped }) });
    if (mapped && archived < archiveLines) {
      archived++;
      snapshots.push({ accountId: id, serviceKey: 'archive', date: '2026-11-05', quantity: 1 });
      lines.push({ accountId: id, serviceKey: 'archive', value: 1, notMapped: 'service' });
    }
  }
  // Accounts first: usage of an account that is not registered yet is refused.
  await Promise.all(writes);
  const usage: Array<Promise<unknown>> = [];
  for (let i = 0; i < snapshots.length; i += 500) usage.push(ingestUsage(deps, PARTNER, snapshots.slice(i, i + 500)));
  await Promise.all(usage);

  const organizationId = stack.emulator!.addPartner({
    partnerApiKey: PARTNER_KEY,
    organizationName: 'Faults MSP',
    psaCompanies,
    psaProducts: ['Seats', 'Scans'],
  });
  await saveConnection(deps, PARTNER, { partnerApiKey: PARTNER_KEY });
  const serviceIds = new Map(
    (await deps.catalog.list()).flatMap((s) => (s.gradientServiceId ? [[s.serviceKey, s.gradientServiceId]] : [])),
  );
  return {
    organizationId,
    serviceIds,
    lines,
    sendable: lines.filter((l) => !l.notMapped),
    sent: lines.filter((l) => l.notMapped !== 'account').length,
  };
}

export const FAST_RETRY: WorkerSettings['retry'] = { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 400 };

/** The real worker handler with test-sized retries; `deps` lets a test put a fault between core and an adapter. */
export function faultWorker(
  stack: LocalStack,
  settings: Partial<WorkerSettings> = {},
  deps: AppDeps = stack.deps,
): WorkerHandler {
  const worker = workerProcess(stack.env, {
    deps,
    settings: {
      rate: workerRate(WORKER_RATE),
      maxInFlight: 16,
      safetyMarginMs: 15_000,
      safetyMarginShare: 0.1,
      retry: FAST_RETRY,
      maxReceiveCount: stack.env.WORK_QUEUE_MAX_RECEIVE_COUNT,
      partnerBusyDelaySeconds: 1,
      ...settings,
    },
  });
  return createWorkerHandler(async () => worker) as WorkerHandler;
}

/** Where the emulator's logs stood before a run: everything after it belongs to the run (one partner syncs). */
export interface Mark {
  counts: number;
  requests: number;
}

export const mark = (stack: LocalStack): Mark => ({
  counts: stack.emulator!.counts().length,
  requests: stack.emulator!.requestLog().length,
});

/** Gradient holds nothing of the partner (as after a disconnect): the next run sends every line. */
export const forgetHeld = (stack: LocalStack): Promise<void> => stack.deps.held.deleteAll(PARTNER);

/**
 * The nightly: the real planner enqueues, the in-process queue delivers to `worker` until nothing is left. Held
 * values are forgotten first (as a disconnect would), so nothing is skipped as unchanged.
 */
export async function nightly(stack: LocalStack, worker: WorkerHandler, at: Date = nextTick()) {
  await forgetHeld(stack);
  const before = mark(stack);
  const plan = await stack.planner(at);
  await stack.queue.drain(worker);
  expect(plan).toMatchObject({ period: '2026-11', asOf: '2026-11-30', full: false, enqueued: 1 });
  return { runId: plan.runId, request: await requestOf(stack, plan.runId), before };
}

export async function requestOf(stack: LocalStack, runId: string): Promise<SyncRequest> {
  const run = await stack.deps.runs.get(PARTNER, runId);
  if (!run) throw new Error(`no run ${runId}`);
  return syncRequestOf(run);
}

/** One delivery straight to a worker handler, outside the queue (concurrent or "dying" deliveries). */
export function deliver(worker: WorkerHandler, request: SyncRequest, messageId: string, functionTimeoutMs = 300_000) {
  const record = sqsRecord({ messageId, body: JSON.stringify(request), receiveCount: 1, senderId: 'test' });
  const event: SQSEvent = { Records: [record] };
  return worker(event, localContext('worker', functionTimeoutMs));
}

/**
 * Puts a hook around every count the sync sends. `before` runs first (it may throw or never settle: a crash),
 * `after` runs once Gradient accepted the count; both get how many counts were accepted before this one.
 * `inFlight()` tells how many counts are on their way to Gradient right now.
 */
export function interceptCounts(
  deps: AppDeps,
  hooks: { before?: (accepted: number) => Promise<void> | void; after?: (accepted: number) => void },
): { deps: AppDeps; inFlight: () => number } {
  let accepted = 0;
  let inFlight = 0;
  const wrapped: AppDeps = {
    ...deps,
    gradient: async (key) => {
      const port = await deps.gradient(key);
      const setUnitCount: GradientPort['setUnitCount'] = async (...args) => {
        await hooks.before?.(accepted);
        inFlight++;
        try {
          await port.setUnitCount(...args);
        } finally {
          inFlight--;
        }
        const before = accepted++; // not inside the optional call: absent hooks skip argument evaluation
        hooks.after?.(before);
      };
      return new Proxy(port, {
        get: (target, prop, receiver) => {
          if (prop === 'setUnitCount') return setUnitCount;
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
  return { deps: wrapped, inFlight: () => inFlight };
}

/** Polls until `check` holds; fails the test after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const REASONS: ReadonlySet<LineReceipt['outcome']> = new Set(['not_mapped', 'failed', 'auth_failed']);
const FINISHED: ReadonlySet<Run['status']> = new Set(['succeeded', 'partial', 'failed']);

export interface RunObservation {
  run: Run;
  receipts: Map<string, LineReceipt>;
  /** The counts Gradient accepted during the run (this partner's only). */
  accepted: ReturnType<NonNullable<LocalStack['emulator']>['counts']>;
  /** Every API request Gradient saw during the run. */
  requests: ReturnType<NonNullable<LocalStack['emulator']>['requestLog']>;
}

const COUNT_ROUTE = '/api/vendor-api/service/:serviceId/count';

/**
 * The invariants every fault test ends with:
 * (a) every computed line was accepted by Gradient with the right value, or has a receipt with its reason;
 * (b) Gradient accepted at most one count per line during the run (values do not change within a run, so a
 *     second count would be the same value sent twice);
 * (c) the run's summary matches what the emulator logged: accepted counts, and 201s on the count route.
 * Also: the run is finished (never left `running` or marked complete with lines missing) and the queue is empty.
 */
export async function expectRunInvariants(
  stack: LocalStack,
  seeded: SeededPartner,
  runId: string,
  before: Mark,
): Promise<RunObservation> {
  const emulator = stack.emulator!;
  const run = await stack.deps.runs.get(PARTNER, runId);
  if (!run) throw new Error(`run ${runId} not found`);
  expect(FINISHED.has(run.status)).toBe(true);
  expect(stack.queue.depth).toBe(0);

  const receipts = new Map(
    (await stack.deps.runs.listReceipts(PARTNER, runId)).map((r) => [`${r.accountId}/${r.serviceKey}`, r]),
  );
  const accepted = emulator.counts().slice(before.counts);
  const requests = emulator.requestLog().slice(before.requests);
  expect(accepted.every((c) => c.organizationId === seeded.organizationId)).toBe(true);
  const current = new Map(
    emulator
      .currentCounts()
      .filter((c) => c.organizationId === seeded.organizationId)
      .map((c) => [`${c.accountId}/${c.serviceId}`, c.unitCount]),
  );
  const acceptedPerLine = new Map<string, number>();
  for (const c of accepted) {
    const k = `${c.accountId}/${c.serviceId}`;
    acceptedPerLine.set(k, (acceptedPerLine.get(k) ?? 0) + 1);
  }

  // (a) line by line, with the line named in the failure.
  const problems: string[] = [];
  for (const line of seeded.lines) {
    const k = `${line.accountId}/${line.serviceKey}`;
    const r = receipts.get(k);
    const serviceId = seeded.serviceIds.get(line.serviceKey);
    const inGradient = serviceId === undefined ? undefined : current.get(`${line.accountId}/${serviceId}`);
    const sentThisRun = serviceId === undefined ? 0 : (acceptedPerLine.get(`${line.accountId}/${serviceId}`) ?? 0);
    if (!r) problems.push(`${k}: no receipt (silently missing)`);
    else if (r.outcome === 'accepted') {
      if (r.pushed !== line.value) problems.push(`${k}: receipt pushed ${r.pushed}, expected ${line.value}`);
      if (inGradient !== line.value) problems.push(`${k}: Gradient holds ${inGradient}, expected ${line.value}`);
      if (sentThisRun !== 1) problems.push(`${k}: accepted, but Gradient saw ${sentThisRun} counts this run`);
    } else if (REASONS.has(r.outcome)) {
      if (!r.detail) problems.push(`${k}: ${r.outcome} without a reason`);
      if (sentThisRun !== 0) problems.push(`${k}: recorded ${r.outcome}, but Gradient accepted it`);
      // An unmapped account is never sent; an unmapped service is, so a fault may hit it before Gradient's 404.
      if (line.notMapped === 'account' && r.outcome !== 'not_mapped') {
        problems.push(`${k}: expected not_mapped, got ${r.outcome}`);
      }
    } else problems.push(`${k}: unexpected outcome ${r.outcome}`);
    if (!line.notMapped && r?.outcome === 'not_mapped') problems.push(`${k}: mapped line recorded not_mapped`);
  }
  expect(problems).toEqual([]);
  expect(receipts.size).toBe(seeded.lines.length);
  expect(run.summary.lines).toBe(seeded.lines.length);

  // (b) at most one accepted count per line in this run.
  expect([...acceptedPerLine].filter(([, n]) => n > 1)).toEqual([]);

  // (c) the summary against the emulator's own records, and against the receipts it was built from.
  const outcomes = [...receipts.values()].map((r) => r.outcome);
  const tally = (o: LineReceipt['outcome']) => outcomes.filter((x) => x === o).length;
  expect(run.summary.accepted).toBe(accepted.length);
  expect(run.summary.accepted).toBe(requests.filter((e) => e.route === COUNT_ROUTE && e.status === 201).length);
  expect(run.summary).toMatchObject({
    accepted: tally('accepted'),
    notMapped: tally('not_mapped'),
    unchanged: tally('unchanged'),
    failed: tally('failed') + tally('auth_failed'),
  });
  return { run, receipts, accepted, requests };
}
