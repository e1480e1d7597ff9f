// A run's lifecycle: one run of a partner at a time (the partner's lease) and one delivery of that run at a time
// (the run's lease; both expire, so a crashed holder is taken over), a delivery out of time hands the run over to
// a continuation that keeps the partner's lease, it ends once with a status and summary, and the partner's
// record follows (connected, auth_failed, last run).
import { PartnerBusyError, RunBusyError } from '../errors';
import type { Partner, PartnerLease, Run, RunStatus, RunSummary, SyncMessage, SyncRequest } from '../model';
import { authFailedChange, isSyncEnabled, promoteOnAccepted, reportAuthFailed } from '../partners';
import type { AppDeps } from '../ports';
import { newRun, syncRequestOf } from './enqueue';

export type SyncResult =
  /** `partner`: the partner as the run left it (its record read and written back at the finish), when it exists. */
  | { kind: 'finished'; run: Run; partner?: Partner }
  /** Out of time with progress made: a continuation message (`continuation`: its number) carries the run on. */
  | { kind: 'handed_over'; run: Run; continuation: number }
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

/**
 * Hands the run over to a fresh delivery at once: the run's lease ends (the continuation may take the run), the
 * partner's lease stays with the run for `leaseMs` more (no other run of the partner slips in between, and the
 * continuation, holding the same run id, never waits behind it), then the continuation message goes out with no
 * delay. A crash before the message is sent leaves this delivery unacknowledged: SQS redelivers it and it resumes.
 */
export async function handOver(deps: AppDeps, run: Run, summary: RunSummary, leaseMs: number): Promise<SyncResult> {
  const now = deps.clock.now();
  const continuation = run.continuations + 1;
  const until = new Date(now.getTime() + leaseMs).toISOString();
  await deps.runs.leasePartner(run.partnerId, { runId: run.runId, until }, now.toISOString());
  const leaseUntil = new Date(now.getTime() - 1).toISOString();
  await deps.runs.update(run.partnerId, run.runId, { leaseUntil, summary, continuations: continuation });
  const message: SyncMessage = { ...syncRequestOf(run), continuation };
  await deps.queue.send(message);
  return { kind: 'handed_over', run: { ...run, leaseUntil, summary, continuations: continuation }, continuation };
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
  const read = await deps.partners.get(run.partnerId);
  let partner = read;
  if (read && isSyncEnabled(read.status)) {
    partner = {
      ...read,
      status: promoteOnAccepted(read.status, summary),
      ...partnerChange,
      lastRun: { runId: run.runId, period: run.period, status, finishedAt, summary },
      ...(summary.accepted > 0 && { lastAcceptedAt: finishedAt }),
      updatedAt: finishedAt,
    };
    await deps.partners.put(partner);
  }
  const finished: Run = { ...run, status, summary, finishedAt, leaseUntil: finishedAt, error };
  return { kind: 'finished', run: finished, ...(partner && { partner }) };
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
