// The nightly sync of one partner for one period (architecture §3–§4): refresh mapping flags, compute every
// line, skip what Gradient already holds, push the rest at a paced rate, record each line's receipt as it
// lands so a redelivered message resumes instead of starting over.
import {
  GradientError,
  GradientKeyRejectedError,
  GradientNotMappedError,
  GradientRateLimitedError,
  RunBusyError,
  RunIncompleteError,
} from './errors';
import type { ComputedLine, LineOutcome, LineReceipt, Partner, Run, RunStatus, RunSummary, SyncRequest } from './model';
import { emptySummary, lineKey } from './model';
import type { AppDeps, GradientPort } from './ports';
import { gradientRetryAfter, isRetryableGradientError, withRetries } from './retry';
import { computeLines } from './usage';

/** Paces calls to Gradient; one instance is shared by everything a worker process sends. */
export interface RateGate {
  acquire(): Promise<void>;
  penalize(retryAfterMs?: number): void;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SyncOptions {
  gate: RateGate;
  /** Epoch ms after which no new call starts; what is left is resumed by the message's redelivery. */
  deadline: number;
  /** How long this delivery holds the run; past it a redelivery may take over (a crashed worker). */
  leaseMs: number;
  /** Count requests in flight at once; the gate sets the rate, this only hides Gradient's latency. */
  maxInFlight: number;
  retry: RetryPolicy;
  random?: () => number;
  /**
   * The queue will not deliver this message again. Lines Gradient keeps failing with retryable errors are then
   * recorded as failed and the run is closed; on earlier deliveries they stay open for the redelivery.
   */
  finalDelivery?: boolean;
}

export type SyncResult =
  | { kind: 'finished'; run: Run }
  /** The message had been fully processed before (duplicate or late redelivery): nothing was done. */
  | { kind: 'already_finished'; run: Run };

const SETTLED: ReadonlySet<LineOutcome> = new Set(['accepted', 'not_mapped', 'unchanged']);

/** Runs (or resumes) the sync a queue message asks for. Throws RunBusyError / RunIncompleteError for redelivery. */
export async function runSync(deps: AppDeps, request: SyncRequest, options: SyncOptions): Promise<SyncResult> {
  const run = await acquireRun(deps, request, options);
  if (run.kind === 'already_finished') return run;
  try {
    return await syncAcquired(deps, request, options, run.run);
  } catch (error) {
    // Anything unexpected (DynamoDB down, a bug): hand the run back at once so the redelivery resumes it. A
    // crash that never reaches this line is covered by the lease running out on its own.
    if (!(error instanceof RunIncompleteError)) {
      await releaseLease(deps, run.run).catch(() => undefined);
    }
    throw error;
  }
}

async function syncAcquired(deps: AppDeps, request: SyncRequest, options: SyncOptions, run: Run): Promise<SyncResult> {
  const { clock } = deps;
  const startedAt = clock.now();

  const log = (message: string, fields: Record<string, unknown> = {}) =>
    deps.log.info(message, { partnerId: request.partnerId, runId: request.runId, period: request.period, ...fields });

  const partner = await deps.partners.get(request.partnerId);
  if (!partner || (partner.status !== 'pending' && partner.status !== 'connected')) {
    const status = partner?.status ?? 'unknown';
    return finishRun(deps, run, emptySummary(), 'failed', {
      code: 'partner_not_connected',
      message: `partner is ${status}; save the connection to sync again`,
    });
  }
  const key = await deps.keys.get(partner.partnerId);
  if (!key) {
    return finishRun(deps, run, emptySummary(), 'failed', {
      code: 'no_partner_key',
      message: 'no Partner API key is stored; save the connection again',
    });
  }
  const gradient = await deps.gradient(key);
  const call = callerFor(deps, options);

  let mapped: Map<string, boolean>;
  try {
    mapped = await refreshMappingFlags(deps, partner.partnerId, gradient, call);
  } catch (error) {
    if (error instanceof GradientKeyRejectedError) return authFailed(deps, partner, run, emptySummary());
    if (options.finalDelivery) {
      return finishRun(deps, run, emptySummary(), 'failed', {
        code: 'gradient_unavailable',
        message: `Gradient kept failing on every delivery: ${describe(error)}`,
      });
    }
    await releaseLease(deps, run);
    throw new RunIncompleteError(`mapping refresh failed: ${describe(error)}`, run.runId);
  }

  const [catalog, serviceMappings, usage, accepted, receipts] = await Promise.all([
    deps.catalog.list(),
    deps.mappings.listServices(partner.partnerId),
    deps.usage.linesForPeriod(partner.partnerId, request.period),
    deps.accepted.listForPeriod(partner.partnerId, request.period),
    deps.runs.listReceipts(partner.partnerId, request.runId),
  ]);
  const lines = computeLines({
    period: request.period,
    asOf: request.asOf,
    services: new Map(catalog.map((s) => [s.serviceKey, s])),
    lines: usage,
    rounding: partner.roundingPolicy,
  });
  const serviceIds = new Map(
    catalog.flatMap((s) => (s.gradientServiceId ? [[s.serviceKey, s.gradientServiceId]] : [])),
  );
  for (const m of serviceMappings) serviceIds.set(m.serviceKey, m.gradientServiceId);
  const acceptedValues = new Map(accepted.map((a) => [lineKey(a.accountId, a.serviceKey), a]));
  const earlier = new Map(receipts.map((r) => [lineKey(r.accountId, r.serviceKey), r]));

  const outcomes = new Map<string, LineReceipt>();
  const toSend: Array<{ line: ComputedLine; serviceId: string }> = [];
  const now = () => clock.now().toISOString();
  const receipt = (line: ComputedLine, outcome: LineOutcome, extra: Partial<LineReceipt> = {}): LineReceipt => ({
    runId: request.runId,
    accountId: line.accountId,
    serviceKey: line.serviceKey,
    computed: line.computed,
    pushed: line.pushed,
    outcome,
    attempts: 0,
    at: now(),
    ...extra,
  });

  const skipped: LineReceipt[] = [];
  for (const line of lines) {
    const k = lineKey(line.accountId, line.serviceKey);
    const before = earlier.get(k);
    if (before && SETTLED.has(before.outcome) && before.pushed === line.pushed) {
      outcomes.set(k, before); // settled by an earlier delivery of this run: resume, do not resend
      continue;
    }
    const serviceId = serviceIds.get(line.serviceKey);
    let decided: LineReceipt | undefined;
    if (!serviceId) {
      decided = receipt(line, 'not_mapped', { detail: 'service not set up in Gradient; save the connection again' });
    } else if (!mapped.get(line.accountId)) {
      decided = receipt(line, 'not_mapped', { detail: 'account not mapped in Synthesize' });
    } else if (acceptedValues.get(k)?.value === line.pushed) {
      const last = acceptedValues.get(k)!;
      // Accepted by an earlier delivery of this very run whose receipt was never written: resume, never resend
      // (a full run included). From an earlier run: unchanged, unless this run sends everything.
      if (last.runId === request.runId) decided = receipt(line, 'accepted', { httpStatus: 201, attempts: 1 });
      else if (!request.full) decided = receipt(line, 'unchanged');
    }
    if (decided) {
      outcomes.set(k, decided);
      skipped.push(decided);
    } else toSend.push({ line, serviceId: serviceId! });
  }
  await forEachLimited(skipped, 16, (r) => deps.runs.putReceipt(partner.partnerId, r));
  deps.metrics.add('LinesComputed', lines.length);

  const push = await pushLines(deps, partner, request, gradient, toSend, options, call, receipt, outcomes);
  const summary = summarize(lines.length, outcomes.values());
  deps.metrics.add('LinesSent', push.sent);
  deps.metrics.add('LinesAccepted', summary.accepted);
  deps.metrics.add('LinesNotMapped', summary.notMapped);
  deps.metrics.add('LinesUnchanged', summary.unchanged);
  deps.metrics.add('LinesFailed', summary.failed);
  deps.metrics.add('RunDuration', clock.now().getTime() - startedAt.getTime(), 'Milliseconds');

  if (push.authRejected) return authFailed(deps, partner, run, summary);
  if (push.unfinished > 0) {
    await releaseLease(deps, run, summary);
    log('run incomplete, left for redelivery', { unfinished: push.unfinished, summary });
    throw new RunIncompleteError(`${push.unfinished} lines left open for the next delivery`, run.runId);
  }
  const status: RunStatus =
    summary.failed === 0 ? 'succeeded' : summary.failed === summary.lines ? 'failed' : 'partial';
  const finished = await finishRun(deps, run, summary, status);
  log('run finished', { status, summary, sent: push.sent });
  return finished;
}

type Caller = <T>(label: string, fn: () => Promise<T>) => Promise<{ value: T; attempts: number }>;

/** One paced, retried call to Gradient: the only retry layer of the sync. */
function callerFor(deps: AppDeps, options: SyncOptions): Caller {
  const { clock } = deps;
  return async (label, fn) => {
    let attempts = 0;
    try {
      const value = await withRetries(
        async (attempt) => {
          attempts = attempt;
          await options.gate.acquire();
          const began = clock.now().getTime();
          deps.metrics.add('GradientRequests', 1);
          try {
            return await fn();
          } finally {
            deps.metrics.add('GradientLatency', clock.now().getTime() - began, 'Milliseconds');
          }
        },
        {
          clock,
          deadline: options.deadline,
          ...options.retry,
          ...(options.random && { random: options.random }),
          isRetryable: isRetryableGradientError,
          retryAfterMs: gradientRetryAfter,
          onRetry: (error, attempt, delayMs) => {
            if (error instanceof GradientRateLimitedError) {
              deps.metrics.add('GradientRateLimited', 1);
              options.gate.penalize(error.retryAfterMs);
            }
            deps.metrics.add('GradientRetries', 1);
            deps.log.debug('retrying Gradient call', { call: label, attempt, delayMs, error: describe(error) });
          },
        },
      );
      return { value, attempts };
    } catch (error) {
      // Out of time or of attempts on a retryable error: the redelivery tries again, unless there is none.
      throw new CallFailed(error, attempts, isRetryableGradientError(error) && !options.finalDelivery);
    }
  };
}

/** A call that gave up; `resumable` means it might succeed on redelivery, so the line stays open. */
class CallFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly attempts: number,
    readonly resumable: boolean,
  ) {
    super(describe(cause));
  }
}

const unwrap = (e: unknown) => (e instanceof CallFailed ? e.cause : e);

async function refreshMappingFlags(
  deps: AppDeps,
  partnerId: string,
  gradient: GradientPort,
  call: Caller,
): Promise<Map<string, boolean>> {
  let accounts: Awaited<ReturnType<GradientPort['listAccounts']>>;
  try {
    accounts = (await call('listAccounts', () => gradient.listAccounts())).value;
  } catch (e) {
    throw unwrap(e);
  }
  const syncedAt = deps.clock.now().toISOString();
  await deps.mappings.putAccounts(
    accounts.map((a) => ({ partnerId, accountId: a.id, gradientName: a.name, isMapped: a.isMapped, syncedAt })),
  );
  return new Map(accounts.map((a) => [a.id, a.isMapped]));
}

async function pushLines(
  deps: AppDeps,
  partner: Partner,
  request: SyncRequest,
  gradient: GradientPort,
  toSend: Array<{ line: ComputedLine; serviceId: string }>,
  options: SyncOptions,
  call: Caller,
  receipt: (line: ComputedLine, outcome: LineOutcome, extra?: Partial<LineReceipt>) => LineReceipt,
  outcomes: Map<string, LineReceipt>,
): Promise<{ sent: number; unfinished: number; authRejected: boolean }> {
  let sent = 0;
  const leftOpen: Array<{ line: ComputedLine; serviceId: string }> = [];
  let authRejected = false;
  let next = 0;
  const acceptedServices = new Set<string>();

  const record = async (r: LineReceipt) => {
    outcomes.set(lineKey(r.accountId, r.serviceKey), r);
    await deps.runs.putReceipt(partner.partnerId, r);
  };

  const sendOne = async (item: { line: ComputedLine; serviceId: string }, noBuild: boolean) => {
    const { line, serviceId } = item;
    let attempts: number;
    try {
      ({ attempts } = await call('setUnitCount', () =>
        gradient.setUnitCount(serviceId, line.accountId, line.pushed, { noBuild }),
      ));
    } catch (e) {
      const error = unwrap(e);
      // Only Gradient's answers decide a line's outcome. Anything else (a bug, the vendor key's secret read
      // failing) fails the delivery, so the redelivery resumes the line instead of recording it as failed.
      if (!(error instanceof GradientError)) throw error;
      const tries = e instanceof CallFailed ? e.attempts : 1;
      sent += 1;
      if (error instanceof GradientNotMappedError) {
        await record(receipt(line, 'not_mapped', { httpStatus: 404, attempts: tries, detail: 'Gradient: not mapped' }));
      } else if (error instanceof GradientKeyRejectedError) {
        authRejected = true;
        await record(
          receipt(line, 'auth_failed', { httpStatus: error.status, attempts: tries, detail: error.message }),
        );
      } else if (e instanceof CallFailed && e.resumable) {
        leftOpen.push(item); // no receipt: the redelivery sends it
      } else {
        await record(receipt(line, 'failed', { httpStatus: error.status, attempts: tries, detail: describe(error) }));
      }
      return;
    }
    // Gradient accepted the count: a failure to record it (DynamoDB) must fail the delivery, never turn the
    // line into a failed one.
    sent += 1;
    acceptedServices.add(serviceId);
    await deps.accepted.put({
      partnerId: partner.partnerId,
      period: request.period,
      accountId: line.accountId,
      serviceKey: line.serviceKey,
      value: line.pushed,
      runId: request.runId,
      acceptedAt: deps.clock.now().toISOString(),
    });
    await record(receipt(line, 'accepted', { httpStatus: 201, attempts }));
  };

  // Billing views should rebuild once per run: every count carries no_build=true but the very last. One line
  // per service is held back and sent at the end, the last of them for a service Gradient already accepted in
  // this run, so the rebuilding count is very likely to land — without sending any line twice.
  const heldBack = new Map<string, { line: ComputedLine; serviceId: string }>();
  for (let i = toSend.length - 1; i >= 0 && toSend.length > 1; i--) {
    if (!heldBack.has(toSend[i]!.serviceId)) heldBack.set(toSend[i]!.serviceId, toSend[i]!);
  }
  const main = toSend.filter((item) => heldBack.get(item.serviceId) !== item);
  const queue = [...main];

  const stopIfOutOfTime = (): boolean => {
    if (deps.clock.now().getTime() < options.deadline) return false;
    leftOpen.push(...queue.slice(next));
    next = queue.length;
    return true;
  };
  // On an unexpected error the other workers stop taking lines and finish the ones in flight before it is
  // rethrown: the lease is released only then, so a quick redelivery cannot resend a line still on its way.
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < queue.length && !authRejected && !failure && !stopIfOutOfTime()) {
      const index = next++;
      try {
        await sendOne(queue[index]!, index !== queue.length - 1 || heldBack.size > 0);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxInFlight, queue.length)) }, worker));
  if (failure) throw failure.error;

  const finals = [...heldBack.values()].sort(
    (a, b) => Number(acceptedServices.has(a.serviceId)) - Number(acceptedServices.has(b.serviceId)),
  );
  queue.push(...finals);
  while (next < queue.length && !authRejected && !stopIfOutOfTime()) {
    const index = next++;
    await sendOne(queue[index]!, index !== queue.length - 1);
  }

  if (authRejected) {
    // Stored, not only counted: the run's receipts must account for every line it computed.
    await forEachLimited(queue.slice(next), 16, (item) =>
      record(receipt(item.line, 'auth_failed', { detail: 'not sent: Gradient rejected the Partner API key' })),
    );
  }
  if (options.finalDelivery && !authRejected) {
    // No redelivery will come: close the lines instead of leaving the run open forever.
    await forEachLimited(leftOpen.splice(0), 16, (item) =>
      record(receipt(item.line, 'failed', { detail: 'not sent: Gradient kept failing until the last delivery' })),
    );
  }
  return { sent, unfinished: leftOpen.length, authRejected };
}

function summarize(lines: number, receipts: Iterable<LineReceipt>): RunSummary {
  const s = emptySummary();
  s.lines = lines;
  for (const r of receipts) {
    if (r.outcome === 'accepted') s.accepted += 1;
    else if (r.outcome === 'not_mapped') s.notMapped += 1;
    else if (r.outcome === 'unchanged') s.unchanged += 1;
    else s.failed += 1;
    if (r.outcome !== 'unchanged' && r.attempts > 0) s.sent += 1;
  }
  return s;
}

async function acquireRun(
  deps: AppDeps,
  request: SyncRequest,
  options: SyncOptions,
): Promise<{ kind: 'acquired'; run: Run } | { kind: 'already_finished'; run: Run }> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + options.leaseMs).toISOString();
  let taken = await deps.runs.acquire(request.partnerId, request.runId, now.toISOString(), leaseUntil);
  if (taken.kind === 'missing') {
    // A message whose run record was never written (sent by hand, or the enqueue crashed in between).
    await deps.runs.create({
      ...request,
      status: 'queued',
      queuedAt: now.toISOString(),
      attempts: 0,
      summary: emptySummary(),
    });
    taken = await deps.runs.acquire(request.partnerId, request.runId, now.toISOString(), leaseUntil);
  }
  if (taken.kind === 'finished') return { kind: 'already_finished', run: taken.run };
  if (taken.kind !== 'acquired') throw new RunBusyError(request.runId);
  return { kind: 'acquired', run: taken.run };
}

/** Ends this delivery's hold (a lease already in the past) so the redelivery can resume at once. */
async function releaseLease(deps: AppDeps, run: Run, summary?: RunSummary): Promise<void> {
  const past = new Date(deps.clock.now().getTime() - 1).toISOString();
  await deps.runs.update(run.partnerId, run.runId, { leaseUntil: past, ...(summary && { summary }) });
}

async function finishRun(
  deps: AppDeps,
  run: Run,
  summary: RunSummary,
  status: RunStatus,
  error?: { code: string; message: string },
  partnerChange?: Pick<Partner, 'status' | 'statusReason'>,
): Promise<SyncResult> {
  const finishedAt = deps.clock.now().toISOString();
  await deps.runs.update(run.partnerId, run.runId, { status, summary, finishedAt, leaseUntil: finishedAt, error });
  deps.metrics.add(status === 'succeeded' ? 'RunsSucceeded' : status === 'partial' ? 'RunsPartial' : 'RunsFailed', 1);
  // Re-read: the partner may have been disconnected while this run was going on; never resurrect it.
  const partner = await deps.partners.get(run.partnerId);
  if (partner && (partner.status === 'pending' || partner.status === 'connected')) {
    const promoted = partner.status === 'pending' && summary.accepted > 0 ? 'connected' : partner.status;
    await deps.partners.put({
      ...partner,
      status: promoted,
      ...partnerChange,
      lastRun: { runId: run.runId, period: run.period, status, finishedAt, summary },
      updatedAt: finishedAt,
    });
  }
  return { kind: 'finished', run: { ...run, status, summary, finishedAt, leaseUntil: finishedAt, error } };
}

async function authFailed(deps: AppDeps, partner: Partner, run: Run, summary: RunSummary): Promise<SyncResult> {
  const day = deps.clock.now().toISOString().slice(0, 10);
  deps.metrics.add('PartnersAuthFailed', 1);
  // A structured line the alarm and a person can use; it names the partner, never the key.
  deps.log.error('partner key rejected by Gradient', {
    partnerId: partner.partnerId,
    runId: run.runId,
    event: 'auth_failed',
  });
  return finishRun(
    deps,
    run,
    summary,
    'failed',
    { code: 'auth_failed', message: 'Gradient rejected the Partner API key' },
    {
      status: 'auth_failed',
      statusReason: `Gradient rejected the Partner API key on ${day}; the MSP must save a new key`,
    },
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
