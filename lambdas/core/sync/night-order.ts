// The order the nightly planner queues its runs in (docs/architecture.md, "A night"): the workers take messages
// about in the order they were sent, so this order is the order runs start in. By lane first (the shared budget's
// order: a run queued behind the bulk lane would wait for a worker whatever its lane's share); within a lane, the
// partners whose new period begins tonight first (their rebase sends every line, and their billing admins look at
// the new month first), then the largest first, so the night does not end on one big run started last. Pure.
import { type IsoDate, type Partner, RUN_LANES, type RunLane } from '../model';
import { addDays } from '../period';
import { billingTarget } from './billing-period';

/** What a run's place in the night is decided by. */
export interface NightPlace {
  partnerId: string;
  lane: RunLane;
  /** Tonight computes a period the night before did not: the partner's close day. */
  rebases: boolean;
  /** Lines its last run computed; 0 when it has none yet (a first night). */
  size: number;
}

/** Whether a partner closing on `closeDay` begins a new period in the run computing as of `asOf`. */
export const rebasesOn = (asOf: IsoDate, closeDay: number): boolean =>
  billingTarget(asOf, closeDay).period !== billingTarget(addDays(asOf, -1), closeDay).period;

/** The size a partner's run is expected to have: what its last run computed. */
export const expectedSize = (partner: Pick<Partner, 'lastRun'>): number => partner.lastRun?.summary.lines ?? 0;

/** Earlier in the night first: lane, then rebasing, then larger, then the partner id (a stable, total order). */
export function compareNightPlaces(a: NightPlace, b: NightPlace): number {
  return (
    RUN_LANES.indexOf(a.lane) - RUN_LANES.indexOf(b.lane) ||
    Number(b.rebases) - Number(a.rebases) ||
    b.size - a.size ||
    (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0)
  );
}
