// The order the nightly planner queues its runs in (docs/architecture.md, "A night"): the workers take messages
// about in the order they were sent, so this order is the order runs start in. By lane first (the shared budget's
// order: a run queued behind the bulk lane would wait for a worker whatever its lane's share); within a lane, the
// partners whose new period begins tonight first (their rebase sends every line, and their billing admins look at
// the new month first); within those groups the largest and the smallest in turn, so the largest runs start first
// (the night does not end on one big run started last) while small runs, whose time goes on their fixed start
// (account list, loads), overlap the large ones' pushes instead of all coming at the end. Pure.
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

/** Lane, then rebasing, then larger, then the partner id: a total order, so any listing sorts the same. */
export function compareNightPlaces(a: NightPlace, b: NightPlace): number {
  return (
    RUN_LANES.indexOf(a.lane) - RUN_LANES.indexOf(b.lane) ||
    Number(b.rebases) - Number(a.rebases) ||
    b.size - a.size ||
    (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0)
  );
}

/**
 * `items` in the night's order: sorted by `compareNightPlaces`, then each group of one lane and rebasing taken from
 * both ends in turn (largest, smallest, second largest, second smallest, …).
 */
export function arrangeNight<T>(items: readonly T[], placeOf: (item: T) => NightPlace): T[] {
  const sorted = items
    .map((item) => ({ item, place: placeOf(item) }))
    .sort((a, b) => compareNightPlaces(a.place, b.place));
  const arranged: T[] = [];
  for (let start = 0; start < sorted.length; ) {
    const { lane, rebases } = sorted[start]!.place;
    let end = start;
    while (end < sorted.length && sorted[end]!.place.lane === lane && sorted[end]!.place.rebases === rebases) end++;
    for (let lo = start, hi = end - 1, large = true; lo <= hi; large = !large) {
      arranged.push(sorted[large ? lo++ : hi--]!.item);
    }
    start = end;
  }
  return arranged;
}
