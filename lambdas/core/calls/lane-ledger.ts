// What the budget's lanes took, as one process of the shared budget (shared-budget.ts) sees it: each lane's tokens
// in the windows it last claimed in (the store's answers) and in the last window that ended (read once it had), and
// from them its own lane's cap in a window (`lanes.ts` shares the second out).
import { RUN_LANES, type RunLane } from '../model';
import type { Clock, RateBudgetCounters, RateBudgetStore } from '../ports';
import { type LaneDemand, laneCap } from './lanes';

/** After a full second, a lane ahead is taken to want this many times what it took in it (see `capIn`). */
const LANE_AHEAD_GROWTH = 2;

type LaneTokens = RateBudgetCounters['lanes'];

export class LaneLedger {
  /** Each lane's tokens in the windows this process last claimed in (the store's answers), newest last. */
  private readonly seen: Array<{ window: number; lanes: LaneTokens }> = [];
  /** Each lane's tokens in the last window that ended, as read once it had. */
  private lastEnded: { window: number; lanes: LaneTokens; tokens: number } | undefined;
  private reading: number | undefined;

  constructor(
    private readonly deps: { budget: Pick<RateBudgetStore, 'counters'>; clock: Clock },
    private readonly scope: string,
    private readonly lane: RunLane,
    private readonly second: { capacity: number; claimSize: number; floorShare: number },
  ) {}

  /** This lane's tokens in `window`, as the last claim there answered. */
  ownIn(window: number): number {
    return this.seen.find((s) => s.window === window)?.lanes[this.lane] ?? 0;
  }

  /**
   * This lane's cap in `window`: its share when each other lane wants what it took in the last second that ended
   * (read once a second) or so far in this one. When that second was full, a lane ahead may have wanted more than
   * it got: it is taken to want LANE_AHEAD_GROWTH times what it took, so it grows into the second within a few
   * seconds while this one keeps its floor. A second that was not full left nobody wanting.
   */
  capIn(window: number): number {
    const { capacity, claimSize, floorShare } = this.second;
    this.readEnded(Math.min(window, Math.floor(this.deps.clock.now().getTime() / 1000)) - 1);
    const full = (this.lastEnded?.tokens ?? 0) >= capacity - claimSize;
    const demand: LaneDemand = {};
    const rank = RUN_LANES.indexOf(this.lane);
    const live = this.seen.find((s) => s.window === window)?.lanes ?? {};
    RUN_LANES.forEach((lane, i) => {
      if (lane === this.lane) return;
      const took = Math.max(this.lastEnded?.lanes[lane] ?? 0, live[lane] ?? 0);
      demand[lane] = Math.ceil(took * (full && i < rank ? LANE_AHEAD_GROWTH : 1));
    });
    return laneCap(this.lane, capacity, demand, floorShare);
  }

  /** A claim's answer: each lane's tokens in `window` now. */
  note(window: number, lanes: LaneTokens): void {
    const same = this.seen.find((s) => s.window === window);
    if (same) same.lanes = lanes;
    else this.seen.push({ window, lanes });
    this.seen.sort((a, b) => a.window - b.window);
    while (this.seen.length > 2) this.seen.shift();
  }

  /**
   * Reads the counters of the last window that ended, once, beside the claims (not in their way): until the read
   * answers, the window before stands in. A failed read leaves the lanes as last known.
   */
  private readEnded(window: number): void {
    if (this.reading === window || (this.lastEnded?.window ?? Number.NEGATIVE_INFINITY) >= window) return;
    this.reading = window;
    this.deps.budget.counters(this.scope, window).then(
      (counters) => {
        if ((this.lastEnded?.window ?? Number.NEGATIVE_INFINITY) < window) {
          this.lastEnded = { window, lanes: counters?.lanes ?? {}, tokens: counters?.tokens ?? 0 };
        }
      },
      () => {},
    );
  }
}
