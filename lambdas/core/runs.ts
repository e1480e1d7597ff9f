// Manual resync and the run history of a partner.
import { randomUUID } from 'node:crypto';
import { requirePartner } from './connection';
import { ConflictError, NotFoundError, ValidationError } from './errors';
import type { IsoDate, LineReceipt, Period, Run } from './model';
import { asOfFor, isValidPeriod, periodOf, todayUtc } from './period';
import type { AppDeps } from './ports';
import { enqueueRun, newRunId } from './sync/enqueue';

export const DEFAULT_RUN_LIST_LIMIT = 20;
export const MAX_RUN_LIST_LIMIT = 100;

export interface ResyncInput {
  period?: Period;
  full?: boolean;
}

/**
 * Enqueues the nightly sync's message for one partner now. The current period is computed as of today, a past
 * one as of its last day; a period that has not started is refused.
 */
export async function resync(
  deps: AppDeps,
  partnerId: string,
  input: ResyncInput = {},
): Promise<{ runId: string; period: Period; asOf: IsoDate; full: boolean }> {
  const partner = await requirePartner(deps, partnerId);
  if (partner.status !== 'pending' && partner.status !== 'connected') {
    throw new ConflictError(
      `partner ${partnerId} is ${partner.status}; save a Partner API key before resyncing`,
      'partner_not_connected',
    );
  }
  const now = deps.clock.now();
  const today = todayUtc(now);
  const period = input.period ?? periodOf(today);
  if (!isValidPeriod(period)) {
    throw new ValidationError('invalid period', [{ path: 'period', message: 'expected YYYY-MM' }]);
  }
  if (period > periodOf(today)) {
    throw new ValidationError('period has not started yet', [
      { path: 'period', message: `period ${period} is in the future (current period: ${periodOf(today)})` },
    ]);
  }
  const asOf = asOfFor(period, today);
  const full = input.full ?? false;
  const runId = newRunId(now, 'resync', randomUUID().replace(/-/g, '').slice(0, 8));
  await enqueueRun(deps, { runId, partnerId, period, asOf, full, trigger: 'resync', queuedAt: now });
  deps.log.info('resync enqueued', { partnerId, runId, period, asOf, full });
  return { runId, period, asOf, full };
}

export async function listRuns(deps: AppDeps, partnerId: string, limit = DEFAULT_RUN_LIST_LIMIT): Promise<Run[]> {
  await requirePartner(deps, partnerId);
  return deps.runs.list(partnerId, Math.min(Math.max(1, limit), MAX_RUN_LIST_LIMIT));
}

export async function getRun(
  deps: AppDeps,
  partnerId: string,
  runId: string,
): Promise<{ run: Run; receipts: LineReceipt[] }> {
  await requirePartner(deps, partnerId);
  const run = await deps.runs.get(partnerId, runId);
  if (!run) throw new NotFoundError(`run ${runId} of partner ${partnerId} not found`);
  const receipts = await deps.runs.listReceipts(partnerId, runId);
  receipts.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.serviceKey.localeCompare(b.serviceKey));
  return { run, receipts };
}
