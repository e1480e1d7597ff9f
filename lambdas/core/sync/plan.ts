// The nightly plan: one queued run per partner whose sync is on, for the last complete UTC day (before the
// partner's close day, for the closed month's last day).

import type { IsoDate, Period } from '../model';
import { addDays, periodOf, todayUtc } from '../period';
import type { PlannerDeps } from '../ports';
import { billingTarget, closeDayOf } from './billing-period';
import { enqueueRun, newRunId } from './enqueue';

export interface NightlyTarget {
  period: Period;
  asOf: IsoDate;
  /**
   * Always false: no night re-sends everyone. Quiet lines are verified one night in 28 each (verification.ts),
   * so a month's last day costs what any other night does.
   */
  full: boolean;
}

/**
 * The calendar's nightly target, as of yesterday: today's snapshots may still be arriving, and on the 1st the
 * previous month is closed on its last day instead of being left at the day before. A partner's own run computes
 * `billingTarget` of that day for its close day (this target for close day 1).
 */
export function nightlyTarget(scheduledAt: Date): NightlyTarget {
  const asOf = addDays(todayUtc(scheduledAt), -1);
  return { period: periodOf(asOf), asOf, full: false };
}

export interface PlanResult extends NightlyTarget {
  runId: string;
  enqueued: number;
  /** Of those, runs that computed the closed period as of its last day: their partner's close day is still to come. */
  closedPeriod: number;
  failed: Array<{ partnerId: string; error: string }>;
}

/** Enqueues every sync-enabled partner; idempotent per schedule tick (the run id derives from its time). */
export async function planNightly(deps: PlannerDeps, scheduledAt: Date): Promise<PlanResult> {
  const target = nightlyTarget(scheduledAt);
  const runId = newRunId(scheduledAt, 'schedule', 'nightly');
  let enqueued = 0;
  let closedPeriod = 0;
  const failed: PlanResult['failed'] = [];
  for await (const partner of deps.partners.listSyncEnabled()) {
    try {
      const own = billingTarget(target.asOf, closeDayOf(partner));
      await enqueueRun(deps, {
        runId,
        partnerId: partner.partnerId,
        ...own,
        full: target.full,
        trigger: 'schedule',
        queuedAt: deps.clock.now(),
      });
      enqueued += 1;
      if (own.period !== target.period) closedPeriod += 1;
    } catch (error) {
      // One partner's failure must not starve the others; the planner reports it and is retried as a whole.
      failed.push({ partnerId: partner.partnerId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  deps.metrics.add('PartnersEnqueued', enqueued);
  deps.log.info('nightly sync planned', { ...target, runId, enqueued, closedPeriod, failed: failed.length });
  return { ...target, runId, enqueued, closedPeriod, failed };
}
