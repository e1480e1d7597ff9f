// The nightly sync of one partner for one period (architecture §3–§4): reconcile accounts and mapping flags, compute every
// line, skip what Gradient already holds, push the rest at a paced rate, record each line's receipt as it
// lands so a redelivered message resumes instead of starting over.

import { reconcileAccountMappings } from './connection';
import { GradientKeyRejectedError, RunIncompleteError } from './errors';
import { type Caller, type CallOptions, callerFor, describe, pacedGradient } from './gradient-calls';
import type { ComputedLine, LineOutcome, LineReceipt, Run, RunStatus, RunSummary, SyncRequest } from './model';
import { emptySummary, lineKey } from './model';
import { isSyncEnabled, notConnected } from './partners';
import type { AppDeps, GradientPort } from './ports';
import { type LineToSend, type PushOptions, pushLines } from './push';
import { acquireRun, authFailed, finishRun, releaseLease, type SyncResult } from './run-lifecycle';
import { computeLines } from './usage';

export type { RateGate, RetryPolicy } from './gradient-calls';
export type { SyncResult } from './run-lifecycle';

export interface SyncOptions extends CallOptions, PushOptions {
  /** How long this delivery holds the run; past it a redelivery may take over (a crashed worker). */
  leaseMs: number;
  /**
   * The queue will not deliver this message again. Lines Gradient keeps failing with retryable errors are then
   * recorded as failed and the run is closed; on earlier deliveries they stay open for the redelivery.
   */
  finalDelivery?: boolean;
}

const SETTLED: ReadonlySet<LineOutcome> = new Set(['accepted', 'not_mapped', 'unchanged']);

/** Runs (or resumes) the sync a queue message asks for. Throws RunBusyError / RunIncompleteError for redelivery. */
export async function runSync(deps: AppDeps, request: SyncRequest, options: SyncOptions): Promise<SyncResult> {
  const run = await acquireRun(deps, request, options.leaseMs);
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
  if (!partner || !isSyncEnabled(partner.status)) {
    const refusal = notConnected(request.partnerId, partner?.status ?? 'unknown');
    return finishRun(deps, run, emptySummary(), 'failed', { code: refusal.code, message: refusal.message });
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
    mapped = await refreshAccounts(deps, partner.partnerId, gradient, call);
  } catch (error) {
    if (error instanceof GradientKeyRejectedError) return authFailed(deps, partner, run, emptySummary());
    if (options.finalDelivery) {
      return finishRun(deps, run, emptySummary(), 'failed', {
        code: 'gradient_unavailable',
        message: `Gradient kept failing on every delivery: ${describe(error)}`,
      });
    }
    await releaseLease(deps, run);
    throw new RunIncompleteError(`account refresh failed: ${describe(error)}`, run.runId);
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
  const toSend: LineToSend[] = [];
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
  await deps.runs.putReceipts(partner.partnerId, skipped);
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

/**
 * The nightly also provisions what changed since the last save: companies the vendor added are created in
 * Gradient, renamed ones renamed (one GET when nothing changed). Answers who is mapped now.
 */
async function refreshAccounts(
  deps: AppDeps,
  partnerId: string,
  gradient: GradientPort,
  call: Caller,
): Promise<Map<string, boolean>> {
  const { mappings } = await reconcileAccountMappings(deps, partnerId, pacedGradient(gradient, call));
  return new Map(mappings.map((m) => [m.accountId, m.isMapped]));
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
