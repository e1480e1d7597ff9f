// The nightly sync of one partner for one period (docs/architecture.md, "A night"): reconcile accounts and mapping flags, compute every
// line, skip what Gradient already holds (whatever period it was pushed for) unless it is due for verification,
// push the rest at a paced rate, record each line's receipt as it lands so a later delivery resumes instead of
// starting over; out of time with progress made, hand the run over to a continuation at once.
import { alertAfterRun } from '../alerts/after-run';
import { type CallOptions, callerFor, errorText, pacedGradient } from '../calls/caller';
import { storedKeyGradient } from '../calls/fresh-keys';
import { GradientKeyRejectedError, RunIncompleteError } from '../errors';
import { runFinishedEvent } from '../events/build';
import { publishSafely } from '../events/publish';
import { reconcileAccounts } from '../gradient-setup';
import type { Partner, Run, SyncMessage } from '../model';
import { emptySummary } from '../model';
import { isSyncEnabled, notConnected } from '../partners';
import type { AppDeps } from '../ports';
import { computeLines } from '../usage';
import { decideLines, runStatusOf, serviceIdsOf, summarize } from './decide';
import { explainLines } from './explain';
import { deliveryEnd } from './hand-over';
import type { AccountState } from './held';
import { closeOpenLines, type PushInput, pushLines } from './push';
import { lastMappingSync } from './refusals';
import { acquireRun, authFailed, finishRun, handOver, releaseLease, type SyncResult } from './run-lifecycle';

export type { RateGate, RetryPolicy } from '../calls/caller';
export type { SyncResult } from './run-lifecycle';

/** How one delivery of a sync message runs: the call options (gate, retry, deadline, last delivery) and more. */
export interface SyncOptions extends CallOptions, Pick<PushInput, 'maxInFlight'> {
  /** How long this delivery holds the run; past it a redelivery may take over (a crashed worker). */
  leaseMs: number;
}

/**
 * Runs (or resumes, or continues) the sync a queue message asks for. Throws RunBusyError / RunIncompleteError for
 * redelivery; a run handed over to a continuation returns `handed_over`.
 */
export async function runSync(deps: AppDeps, request: SyncMessage, options: SyncOptions): Promise<SyncResult> {
  const result = await syncOnce(deps, request, options);
  if (result.kind === 'finished') await publishSafely(deps, [runFinishedEvent(result.run)]);
  // After the run's last count (a finished run, or a redelivery of one that may have stopped mid-alerts).
  if (result.kind !== 'handed_over') {
    await alertSafely(deps, result.run, options, result.kind === 'finished' ? result.partner : undefined);
  }
  return result;
}

/** The billing-health alerts of a finished run; they never fail it (README, "Billing-health alerts"). */
async function alertSafely(deps: AppDeps, run: Run, options: SyncOptions, partner: Partner | undefined): Promise<void> {
  try {
    await alertAfterRun(deps, run, options, partner);
  } catch (error) {
    deps.metrics.add('AlertsFailed', 1);
    deps.log.warn('alerts failed; the run is not affected', {
      partnerId: run.partnerId,
      runId: run.runId,
      error: errorText(error),
    });
  }
}

async function syncOnce(deps: AppDeps, request: SyncMessage, options: SyncOptions): Promise<SyncResult> {
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

async function syncAcquired(deps: AppDeps, request: SyncMessage, options: SyncOptions, run: Run): Promise<SyncResult> {
  const { clock } = deps;
  const startedAt = clock.now();

  const log = (message: string, fields: Record<string, unknown> = {}) =>
    deps.log.info(message, {
      partnerId: request.partnerId,
      runId: request.runId,
      period: request.period,
      ...(request.continuation && { continuation: request.continuation }),
      ...fields,
    });

  const partner = await deps.partners.get(request.partnerId);
  if (!partner || !isSyncEnabled(partner.status)) {
    const refusal = notConnected(request.partnerId, partner?.status ?? 'unknown');
    return finishRun(deps, run, emptySummary(), 'failed', { code: refusal.code, message: refusal.message });
  }
  const gradient = await storedKeyGradient(deps, partner.partnerId);
  if (!gradient) {
    return finishRun(deps, run, emptySummary(), 'failed', {
      code: 'no_partner_key',
      message: 'no Partner API key is stored; save the connection again',
    });
  }
  const call = callerFor(deps, options);

  // What the run reads of its own tables does not depend on the accounts' reconciliation: it loads while that
  // waits for Gradient, so the first count follows the account list sooner (a lone run's share of the budget).
  const loading = Promise.all([
    deps.catalog.list(),
    deps.mappings.listServices(partner.partnerId),
    deps.usage.linesForPeriod(partner.partnerId, request.period),
    deps.held.list(partner.partnerId),
    deps.held.listRefusals(partner.partnerId),
    deps.runs.listReceipts(partner.partnerId, request.runId),
  ]);
  // A run that ends before it awaits the loads (the key rejected, Gradient down) ends on that, not on a load.
  loading.catch(() => undefined);

  // The nightly also provisions what changed since the last save: companies the vendor added are created in
  // Gradient, renamed ones renamed (one GET when nothing changed, a second when accounts were created). It
  // answers who is mapped now, and since when.
  let accounts: Map<string, AccountState>;
  let unmappedAccounts: number;
  // The account list is one request: the gate claims no more, which would lapse while the run computes.
  options.gate.expect?.(1);
  try {
    const { mappings, result } = await reconcileAccounts(deps, partner.partnerId, pacedGradient(gradient, call));
    accounts = new Map(mappings.map((m) => [m.accountId, m]));
    unmappedAccounts = result.unmapped.length;
  } catch (error) {
    if (error instanceof GradientKeyRejectedError) return authFailed(deps, partner, run, emptySummary());
    if (options.finalDelivery) {
      return finishRun(deps, run, emptySummary(), 'failed', {
        code: 'gradient_unavailable',
        message: `Gradient kept failing on every delivery: ${errorText(error)}`,
      });
    }
    await releaseLease(deps, run);
    throw new RunIncompleteError(`account refresh failed: ${errorText(error)}`, run.runId);
  }

  const [catalog, serviceMappings, usage, held, refusals, earlier] = await loading;
  const services = new Map(catalog.map((s) => [s.serviceKey, s]));
  const serviceIds = serviceIdsOf(catalog, serviceMappings);
  const lines = explainLines({
    ...request,
    lines: computeLines({ ...request, services, lines: usage, rounding: partner.roundingPolicy }),
    usage,
    services,
    held,
    serviceIds,
    accounts,
  });
  const decision = decideLines({
    partnerId: partner.partnerId,
    runId: request.runId,
    full: request.full,
    lines,
    earlier,
    held,
    serviceIds,
    refusals,
    mappingsSyncedAt: lastMappingSync(serviceMappings),
    accounts,
    at: clock.now().toISOString(),
  });
  await deps.runs.putReceipts(partner.partnerId, decision.settled);
  deps.metrics.add('LinesComputed', lines.length);

  const push = await pushLines(deps, {
    partnerId: partner.partnerId,
    period: request.period,
    runId: request.runId,
    gradient,
    call,
    lines: decision.toSend,
    deadline: options.deadline,
    maxInFlight: options.maxInFlight,
    expect: (calls) => options.gate.expect?.(calls),
  });
  const end = push.authRejected
    ? 'finish'
    : deliveryEnd({
        open: push.leftOpen.length,
        progressed: decision.settled.length + push.receipts.length,
        reachedDeadline: push.reachedDeadline,
        finalDelivery: options.finalDelivery ?? false,
      });
  const closed = end === 'close' ? await closeOpenLines(deps, request, push.leftOpen) : [];
  const summary = summarize(lines.length, [...decision.resumed, ...decision.settled, ...push.receipts, ...closed]);
  deps.metrics.add('LinesSent', push.sent);
  deps.metrics.add('LinesAccepted', summary.accepted);
  deps.metrics.add('LinesNotMapped', summary.notMapped);
  deps.metrics.add('LinesUnchanged', summary.unchanged);
  deps.metrics.add('LinesFailed', summary.failed);
  deps.metrics.add('RunDuration', clock.now().getTime() - startedAt.getTime(), 'Milliseconds');

  if (push.authRejected) return authFailed(deps, partner, run, summary);
  const open = push.leftOpen.length;
  if (end === 'hand_over') {
    const handed = await handOver(deps, run, summary, options.leaseMs);
    log('run handed over to a continuation', { open, summary, sent: push.sent });
    return handed;
  }
  if (end === 'redeliver') {
    await releaseLease(deps, run, summary);
    log('run incomplete, left for redelivery', { unfinished: open, summary });
    throw new RunIncompleteError(`${open} lines left open for the next delivery`, run.runId);
  }
  const status = runStatusOf(summary);
  const finished = await finishRun(deps, run, summary, status, undefined, { unmappedAccounts });
  log('run finished', { status, summary, sent: push.sent });
  return finished;
}
