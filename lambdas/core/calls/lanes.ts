// How the lanes of a run (`model/runs.ts` RUN_LANES) share one second of the Gradient budget: pure arithmetic,
// enforced by the shared budget's claims (shared-budget.ts). Lanes are served in order, `admin` first, each up to
// what it wants; before that every lane that wants tokens keeps a floor, so the last lane always progresses.
import { RUN_LANES, type RunLane } from '../model';

/** Tokens each lane wants in a second (absent or 0: it wants none). */
export type LaneDemand = Partial<Record<RunLane, number>>;
export type LaneShares = Record<RunLane, number>;

/** The floor of a lane that wants tokens: `floorShare` of the second, at least one token. */
export const laneFloor = (capacity: number, floorShare: number): number =>
  Math.max(1, Math.floor(capacity * floorShare));

/**
 * The tokens each lane gets of `capacity`: first each lane that wants some gets up to its floor (in lane order,
 * while tokens last), then the lanes in order take what they still want of what is left.
 */
export function laneShares(capacity: number, demand: LaneDemand, floorShare: number): LaneShares {
  const floor = laneFloor(capacity, floorShare);
  const shares: LaneShares = { admin: 0, nightly: 0, bulk: 0 };
  let left = capacity;
  for (const lane of RUN_LANES) {
    const take = Math.min(wanted(demand, lane), floor, left);
    shares[lane] = take;
    left -= take;
  }
  for (const lane of RUN_LANES) {
    const take = Math.min(wanted(demand, lane) - shares[lane], left);
    shares[lane] += take;
    left -= take;
  }
  return shares;
}

/**
 * The most tokens `lane` may claim in a second, given what the other lanes want: its share when it wants all
 * it can get. A lane alone gets the whole second.
 */
export function laneCap(lane: RunLane, capacity: number, others: LaneDemand, floorShare: number): number {
  return laneShares(capacity, { ...others, [lane]: Number.POSITIVE_INFINITY }, floorShare)[lane];
}

const wanted = (demand: LaneDemand, lane: RunLane): number => Math.max(0, demand[lane] ?? 0);
