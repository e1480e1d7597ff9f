// A run's lifecycle: one run of a partner at a time (the partner's lease) and one delivery of that run at a time
// (the run's lease; both expire, so a crashed holder is taken over), it ends once with a status and summary,
// and the partner's record follows (connected, auth_failed, last run).
import { PartnerBusyError, RunBusyError } from '../errors';
import type { Partner, PartnerLease, Run, RunStatus, RunSummary, SyncRequest } from '../model';
import { authFailedChange, isSyncEnabled, promoteOnAccepted, reportAuthFailed } from '../partners';
import type { AppDeps } from '../ports';
import { newRun } from './enqueue';

export type SyncResult =
  | { kind: 'finished'; run: Run }
  /** The message had been fully processed before (duplicate or late redelivery): nothing was done. */
  | { kind: 'already_finished'; run: Run };

/** The partner's lease rule: a run may take it when nobody holds it, the holder's time ran out, or it holds it. */
export const partnerLeaseFree = (held: PartnerLease | undefined, runId: string, now: string): boolean =>
  held === undefined || held.until < now || held.runId === runId;

/**
 * Takes the partner's lease, then the run's, both until `leaseMs` from now. Throws PartnerBusyError while another
 * run of the partner holds it (the run waits, untouched: still `queued`), RunBusyError while another delivery of
 * this run holds the run (that delivery keeps the partner's lease).
 */
export async function acquireRun(
  deps: AppDeps,
  request: SyncRequest,
  leaseMs: number,
): Promise<{ kind: 'acquired'; run: Run } | { kind: 'already_finished'; run: Run }> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const partner = await deps.runs.leasePartner(
    request.partnerId,
    { runId: request.runId, until: leaseUntil },
    now.toISOString(),
  );
  if (partner.kind === 'held') throw new PartnerBusyError(request.partnerId, partner.lease.runId);
  let taken: Awaited<ReturnType<AppDeps['runs']['acquire']>>;
  try {
    taken = await deps.runs.acquire(request.partnerId, request.runId, now.toISOString(), leaseUntil);
    if (taken.kind === 'missing') {
      // A message whose run record was never written (sent by hand, or the enqueue crashed in between).
      await deps.runs.create(newRun(request, now));
      taken = await deps.runs.acquire(request.partnerId, request.runId, now.toISOString(), leaseUntil);
    }
  } catch (error) {
    await deps.runs.releasePartner(request.partnerId, request.runId).catch(() => undefined);
    throw error;
  }
  if (taken.kind === 'finished') {
    await deps.runs.releasePartner(request.partnerId, request.runId);
    return { kind: 'already_finished', run: taken.run };
  }
  if (taken.kind !== 'acquired') throw new RunBusyError(request.runId);
  return { kind: 'acquired', run: taken.run };
}

/**
 * Ends this delivery's hold (a lease already in the past) so the redelivery can resume at once, and hands the
 * partner's lease back so another run of the partner may go first.
 */
export async function releaseLease(deps: AppDeps, run: Run, summary?: RunSummary): Promise<void> {
  const past = new Date(deps.clock.now().getTime() - 1).toISOString();
  await deps.runs.update(run.partnerId, run.runId, { leaseUntil: past, ...(summary && { summary }) });
  await deps.runs.releasePartner(run.partnerId, run.runId);
}

export async function finishRun(
  deps: AppDeps,
  run: Run,
  summary: RunSummary,
  status: RunStatus,
  error?: { code: string; message: string },
  partnerChange?: Partial<Pick<Partner, 'status' | 'statusReason' | 'unmappedAccounts'>>,
): Promise<SyncResult> {
  const finishedAt = deps.clock.now().toISOString();
  // The partner's lease goes first: a crash between the two writes leaves the run open (resumed by its
  // redelivery, which finds every line settled), never a finished run holding the partner.
  await deps.runs.releasePartner(run.partnerId, run.runId);
  await deps.runs.update(run.partnerId, run.runId, { status, summary, finishedAt, leaseUntil: finishedAt, error });
  deps.metrics.add(status === 'succeeded' ? 'RunsSucceeded' : status === 'partial' ? 'RunsPartial' : 'RunsFailed', 1);
  // Re-read: the partner may have been disconnected while this run was going on; never resurrect it.
  const partner = await deps.partners.get(run.partnerId);
  if (partner && isSyncEnabled(partner.status)) {
    await deps.partners.put({
      ...partner,
      status: promoteOnAccepted(partner.status, summary),
      ...partnerChange,
      lastRun: { runId: run.runId, period: run.period, status, finishedAt, summary },
      ...(summary.accepted > 0 && { lastAcceptedAt: finishedAt }),
      updatedAt: finishedAt,
    });
  }
  return { kind: 'finished', run: { ...run, status, summary, finishedAt, leaseUntil: finishedAt, error } };
}

export async function authFailed(deps: AppDeps, partner: Partner, run: Run, summary: RunSummary): Promise<SyncResult> {
  reportAuthFailed(deps, partner.partnerId, { runId: run.runId });
  return finishRun(
    deps,
    run,
    summary,
    'failed',
    { code: 'auth_failed', message: 'Gradient rejected the Partner API key' },
    authFailedChange(deps.clock.now()),
  );
}
