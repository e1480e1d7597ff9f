// Manual resync: the same queue message the nightly planner sends, for one partner, on request.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors';
import type { IsoDate, Period } from '../model';
import { requireConnected, requirePartner } from '../partners';
import { asOfFor, periodOf, todayUtc } from '../period';
import type { AppDeps } from '../ports';
import { enqueueRun, newRunId } from './enqueue';

export interface ResyncInput {
  period?: Period;
  full?: boolean;
}

/**
 * Enqueues the nightly sync's message for one partner now. The current period is computed as of today, a past
 * one as of its last day; a period that has not started is refused. The period's shape was checked at the edge
 * (and `asOfFor` refuses a malformed one for any other caller).
 */
export async function resync(
  deps: AppDeps,
  partnerId: string,
  input: ResyncInput = {},
): Promise<{ runId: string; period: Period; asOf: IsoDate; full: boolean }> {
  requireConnected(await requirePartner(deps, partnerId));
  const now = deps.clock.now();
  const today = todayUtc(now);
  const period = input.period ?? periodOf(today);
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
