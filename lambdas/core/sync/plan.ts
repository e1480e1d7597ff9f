// The nightly plan: one queued run per partner whose sync is on, for the last complete UTC day (before the
// partner's close day, for the closed month's last day). The whole fleet is read first and put in the night's
// order (night-order.ts); then its runs go in batches of QUEUE_BATCH_MAX: recorded in parallel, then their
// messages leave in one batch send, several batches at a time, first batches first.

import { runLimited } from '../calls/pool';
import { errorMessage } from '../errors';
import { type IsoDate, laneFor, type Period } from '../model';
import { closeDayOf } from '../partners';
import { addDays, periodOf, todayUtc } from '../period';
import { type PlannerDeps, QUEUE_BATCH_MAX } from '../ports';
import { billingTarget } from './billing-period';
import { type EnqueueInput, enqueueRuns, newRunId } from './enqueue';
import { arrangeNight, expectedSize, type NightPlace, rebasesOn } from './night-order';

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

/**
 * Batches in flight at once: 40 run puts, under the 50 sockets the SDK's HTTP handler opens per client, so no
 * put waits for a socket; 10,000 partners are 1,000 batches of one parallel put round and one SendMessageBatch.
 */
export const PLAN_BATCHES_IN_FLIGHT = 4;

/** Enqueues every sync-enabled partner; idempotent per schedule tick (the run id derives from its time). */
export async function planNightly(deps: PlannerDeps, scheduledAt: Date): Promise<PlanResult> {
  const target = nightlyTarget(scheduledAt);
  const runId = newRunId(scheduledAt, 'schedule', 'nightly');
  let enqueued = 0;
  let closedPeriod = 0;
  const failed: PlanResult['failed'] = [];
  // One partner's failure must not starve the others; the planner reports it and is retried as a whole.
  const fail = (partnerId: string, error: unknown) => failed.push({ partnerId, error: errorMessage(error) });

  // The run of each partner and its place in the night: what is kept of the fleet until it is arranged (a few
  // hundred bytes a partner, not the partner records).
  const night: Array<{ input: EnqueueInput; place: NightPlace }> = [];
  const queuedAt = deps.clock.now();
  for await (const partner of deps.partners.listSyncEnabled()) {
    try {
      const closeDay = closeDayOf(partner);
      const lane = laneFor({ trigger: 'schedule', full: target.full, firstNight: partner.status === 'pending' });
      night.push({
        input: {
          runId,
          partnerId: partner.partnerId,
          ...billingTarget(target.asOf, closeDay),
          full: target.full,
          trigger: 'schedule',
          lane,
          queuedAt,
        },
        place: {
          partnerId: partner.partnerId,
          lane,
          rebases: rebasesOn(target.asOf, closeDay),
          size: expectedSize(partner),
        },
      });
    } catch (error) {
      fail(partner.partnerId, error);
    }
  }

  const planBatch = async (inputs: readonly EnqueueInput[]): Promise<void> => {
    const result = await enqueueRuns(deps, inputs);
    for (const f of result.failed) fail(f.input.partnerId, f.error);
    enqueued += result.enqueued.length;
    closedPeriod += result.enqueued.filter((input) => input.period !== target.period).length;
  };
  await runLimited(
    chunks(
      arrangeNight(night, (n) => n.place).map((n) => n.input),
      QUEUE_BATCH_MAX,
    ),
    PLAN_BATCHES_IN_FLIGHT,
    planBatch,
  );

  deps.metrics.add('PartnersEnqueued', enqueued);
  deps.log.info('nightly sync planned', { ...target, runId, enqueued, closedPeriod, failed: failed.length });
  return { ...target, runId, enqueued, closedPeriod, failed };
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
