// Manual resync: the same queue message the nightly planner sends, for one partner, on request.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors';
import { type IsoDate, MIN_USAGE_DATE, type Period } from '../model';
import { requireConnected, requirePartner } from '../partners';
import { asOfFor, periodOf, previousPeriod, todayUtc } from '../period';
import type { AppDeps } from '../ports';
import { enqueueRun, newRunId } from './enqueue';

export interface ResyncInput {
  period?: Period;
  full?: boolean;
}

/** How far back a resync may reach: `maxClosedPeriods` closed periods (RESYNC_MAX_CLOSED_PERIODS), never before 2000. */
export interface ResyncLimits {
  maxClosedPeriods: number;
}

/** What a resync answers: the run it queued and what that run computes. */
export interface QueuedResync {
  runId: string;
  period: Period;
  asOf: IsoDate;
  full: boolean;
}

/** Enqueues the nightly sync's message for one partner now (see `prepareResync`). */
export async function resync(
  deps: AppDeps,
  partnerId: string,
  input: ResyncInput,
  limits: ResyncLimits,
): Promise<QueuedResync> {
  return enqueueResync(deps, partnerId, await prepareResync(deps, partnerId, input, limits));
}

/** Records and sends the run a prepared resync names. */
export async function enqueueResync(deps: AppDeps, partnerId: string, queued: QueuedResync): Promise<QueuedResync> {
  const { runId, period, asOf, full } = queued;
  await enqueueRun(deps, { runId, partnerId, period, asOf, full, trigger: 'resync', queuedAt: deps.clock.now() });
  deps.log.info('resync enqueued', { partnerId, runId, period, asOf, full });
  return queued;
}

/**
 * The run a resync of one partner asks for, now, without queuing it. The current period is computed as of today,
 * a past one as of its last day; a period that has not started, or lies further back than `limits` allow, is
 * refused. The period's shape was checked at the edge (and `asOfFor` refuses a malformed one for any other caller).
 */
export async function prepareResync(
  deps: AppDeps,
  partnerId: string,
  input: ResyncInput,
  limits: ResyncLimits,
): Promise<QueuedResync> {
  requireConnected(await requirePartner(deps, partnerId));
  const now = deps.clock.now();
  const today = todayUtc(now);
  const period = input.period ?? periodOf(today);
  if (period > periodOf(today)) {
    throw new ValidationError('period has not started yet', [
      { path: 'period', message: `period ${period} is in the future (current period: ${periodOf(today)})` },
    ]);
  }
  const earliest = earliestResyncPeriod(periodOf(today), limits);
  if (period < earliest) {
    throw new ValidationError('period is further back than a resync may reach', [
      {
        path: 'period',
        message: `a resync reaches back at most ${limits.maxClosedPeriods} closed period(s) (RESYNC_MAX_CLOSED_PERIODS): the earliest is ${earliest}`,
      },
    ]);
  }
  const asOf = asOfFor(period, today);
  const full = input.full ?? false;
  const runId = newRunId(now, 'resync', randomUUID().replace(/-/g, '').slice(0, 8));
  return { runId, period, asOf, full };
}

const earliestResyncPeriod = (current: Period, limits: ResyncLimits): Period => {
  let earliest = current;
  for (let i = 0; i < limits.maxClosedPeriods && earliest > periodOf(MIN_USAGE_DATE); i++) {
    earliest = previousPeriod(earliest);
  }
  return earliest;
};
