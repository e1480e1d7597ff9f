// The shared budget's claim rule on virtual time: claimers in one or several processes never pass the budget in a
// window together nor, by more than the lateness margin, in any sliding second; a lone claimer gets nearly all of it
// even when claims take a round trip; a process back from a stall lets its passed slots lapse instead of bursting; a
// dead counter falls back to the static share; the API's calls (connection test, save, mapping sync) draw from the
// same gates.
import type { RateGate } from '../../../../lambdas/core/calls/caller';
import { laneFloor } from '../../../../lambdas/core/calls/lanes';
import {
  type BudgetSettings,
  budgetedFactory,
  budgetGates,
  type GateFor,
} from '../../../../lambdas/core/calls/shared-budget';
import { testConnection } from '../../../../lambdas/core/connection';
import { DeadlineReachedError, GradientRateLimitedError } from '../../../../lambdas/core/errors';
import type { RateBudgetStore } from '../../../../lambdas/core/ports';
import { RATE_BUDGET_LANE_FLOOR_SHARE, RATE_BUDGET_LATE_MS } from '../../../../lambdas/shared/settings';
import { busiestSlidingWindow } from '../../../../local/gradient-emulator';
import { FakeGradient, MemoryRateBudget, memoryDeps } from '../../../support/memory-deps';
import { TimerClock } from '../../../support/timer-clock';

const log = { warn: jest.fn() };
const settings = (over: Partial<BudgetSettings> = {}): BudgetSettings => ({
  perSecond: 95,
  scope: 'vendor',
  claimSize: 10,
  fallbackPerSecond: 95 / 4,
  lateMs: RATE_BUDGET_LATE_MS,
  laneFloorShare: RATE_BUDGET_LANE_FLOOR_SHARE,
  ...over,
});

/**
 * `inFlight` callers per gate, each acquiring again as soon as it got a token (until `stopAt`); the instants they got
 * one.
 */
function drive(clock: TimerClock, gates: RateGate[], inFlight: number, stopAt = Number.POSITIVE_INFINITY): number[][] {
  return gates.map((gate) => {
    const times: number[] = [];
    for (let i = 0; i < inFlight; i++) {
      void (async () => {
        for (;;) {
          if (clock.t >= stopAt) return;
          await gate.acquire();
          times.push(clock.t);
        }
      })();
    }
    return times;
  });
}

const perWindow = (times: number[]): Map<number, number> => {
  const counts = new Map<number, number>();
  for (const t of times) counts.set(Math.floor(t / 1000), (counts.get(Math.floor(t / 1000)) ?? 0) + 1);
  return counts;
};

/** Processes sharing one store (each its own gates, as each Lambda instance has). */
const processes = (n: number, clock: TimerClock, budget: RateBudgetStore, over: Partial<BudgetSettings> = {}) =>
  Array.from({ length: n }, () => budgetGates({ budget, clock, log }, settings(over)));

/** A store whose every claim takes `ms` on the test's clock, as a DynamoDB round trip does. */
const slowStore = (inner: RateBudgetStore, clock: TimerClock, ms: number): RateBudgetStore => ({
  claim: async (c) => {
    await clock.sleep(ms);
    return inner.claim(c);
  },
  counters: (scope, window) => inner.counters(scope, window),
});

// Starts mid-second, as a run does: the first window is a partial one.
const START = 1_700_000_000_400;

describe('the shared rate budget', () => {
  it('turns a caller away instead of serving it past its deadline', async () => {
    const clock = new TimerClock(START);
    const gate = processes(1, clock, new MemoryRateBudget(), { perSecond: 2, claimSize: 1 })[0]!('msp-1', 'nightly');
    const deadline = START + 600;
    const outcomes: Array<number | 'deadline'> = [];
    for (let i = 0; i < 4; i++) {
      void gate.acquire(deadline).then(
        () => outcomes.push(clock.t),
        (error) => outcomes.push(error instanceof DeadlineReachedError ? 'deadline' : Number.NaN),
      );
    }
    await clock.runUntil(START + 5_000);
    expect(outcomes).toHaveLength(4);
    for (const o of outcomes) if (o !== 'deadline') expect(o).toBeLessThan(deadline);
    expect(outcomes).toContain('deadline');
  });

  it('never hands out more than the budget in any second, across claimers racing for it', async () => {
    const clock = new TimerClock(START);
    const budget = new MemoryRateBudget();
    const gates = processes(4, clock, budget, { claimSize: 7 }).map((gateFor) => gateFor('msp-1', 'nightly'));
    const times = drive(clock, gates, 8);
    await clock.runUntil(START + 10_000);

    const all = perWindow(times.flat());
    expect(Math.max(...all.values())).toBeLessThanOrEqual(95);
    // Not by starving: every window after the first is nearly full.
    const full = [...all.entries()].filter(([w]) => w > Math.floor(START / 1000) && w < Math.floor(START / 1000) + 10);
    for (const [, count] of full) expect(count).toBeGreaterThanOrEqual(90);
    // And it is shared: every process got a fair part of it.
    const total = times.flat().length;
    for (const t of times) expect(t.length).toBeGreaterThan(total / 8);
  });

  it('claims no more than a holder said it wants, so no claimed slot is left to lapse when it goes quiet', async () => {
    const clock = new TimerClock(START);
    const inner = new MemoryRateBudget();
    const counts: number[] = [];
    const budget: RateBudgetStore = {
      claim: (c) => {
        counts.push(c.count);
        return inner.claim(c);
      },
      counters: (scope, window) => inner.counters(scope, window),
    };
    const gate = processes(1, clock, budget)[0]!('msp-1', 'nightly');
    gate.expect?.(3);
    const got: number[] = [];
    for (let i = 0; i < 3; i++) void gate.acquire().then(() => got.push(clock.t));
    await clock.runUntil(START + 2_000);
    expect(got).toHaveLength(3);
    // Three tokens claimed in all, not a block of ten: the other slots stay free for other processes.
    expect(counts).toEqual([3]);

    // Once those went, the gate claims whole blocks again.
    counts.length = 0;
    for (let i = 0; i < 12; i++) void gate.acquire().then(() => got.push(clock.t));
    await clock.runUntil(START + 4_000);
    expect(got).toHaveLength(15);
    expect(Math.max(...counts)).toBe(10);
  });

  it('gives a lone claimer at least 95 % of the budget', async () => {
    const clock = new TimerClock(START);
    const [gateFor] = processes(1, clock, new MemoryRateBudget());
    const [times] = drive(clock, [gateFor!('msp-1', 'nightly')], 16);
    await clock.runUntil(START + 10_000);

    expect(times!.length).toBeGreaterThanOrEqual(0.95 * 95 * 10);
    expect(Math.max(...perWindow(times!).values())).toBeLessThanOrEqual(95);
  });

  it('spaces the tokens of a second evenly, whichever process holds them', async () => {
    const clock = new TimerClock(START);
    const gates = processes(2, clock, new MemoryRateBudget(), { perSecond: 10, claimSize: 3 });
    const times = drive(clock, [gates[0]!('msp-1', 'nightly'), gates[1]!('msp-1', 'nightly')], 4);
    await clock.runUntil(START + 5_000);

    const sorted = times.flat().sort((a, b) => a - b);
    // Any 500 ms hold at most half a budget plus one: no burst at a window's start.
    for (let i = 0; i < sorted.length; i++) {
      const inHalfSecond = sorted.filter((t) => t >= sorted[i]! && t < sorted[i]! + 500).length;
      expect(inHalfSecond).toBeLessThanOrEqual(6);
    }
  });

  it('sends at most budget × (1 + margin) + 1 in any sliding second, across processes whose claims take a round trip', async () => {
    const clock = new TimerClock(START);
    const store = slowStore(new MemoryRateBudget(), clock, 15);
    const gates = processes(4, clock, store).map((gateFor) => gateFor('msp-1', 'nightly'));
    const times = drive(clock, gates, 8);
    await clock.runUntil(START + 10_000);

    const all = times.flat();
    expect(busiestSlidingWindow(all)).toBeLessThanOrEqual(Math.floor(95 * (1 + RATE_BUDGET_LATE_MS / 1000)) + 1);
    // And the budget is used: nine whole seconds at nearly all of it.
    expect(all.length).toBeGreaterThanOrEqual(0.95 * 95 * 9);
  });

  it('gives a lone claimer at least 95 % of the budget when each claim takes 40 ms (it claims ahead)', async () => {
    const clock = new TimerClock(START);
    const [gateFor] = processes(1, clock, slowStore(new MemoryRateBudget(), clock, 40));
    const [times] = drive(clock, [gateFor!('msp-1', 'nightly')], 16);
    await clock.runUntil(START + 10_000);

    expect(times!.length).toBeGreaterThanOrEqual(0.95 * 95 * 10);
    expect(busiestSlidingWindow(times!)).toBeLessThanOrEqual(Math.floor(95 * (1 + RATE_BUDGET_LATE_MS / 1000)) + 1);
  });

  it('lets a token whose slot passed lapse instead of sending it late: callers back from a stall do not burst', async () => {
    const clock = new TimerClock(START);
    const [gateFor] = processes(1, clock, new MemoryRateBudget());
    const gate = gateFor!('msp-1', 'nightly');
    const times: number[] = [];
    for (let i = 0; i < 16; i++) {
      void (async () => {
        for (;;) {
          await gate.acquire();
          times.push(clock.t);
          // The whole process stalls for the first 300 ms of every second (a busy event loop), then all its callers
          // come back at once, after the slots they held passed.
          const intoSecond = (clock.t + 30) % 1000;
          await clock.sleep(30 + (intoSecond < 300 ? 300 - intoSecond : 0));
        }
      })();
    }
    await clock.runUntil(START + 10_000);

    // Any 50 ms holds what its slots allow (4.75 at 95/s) and the margin's share, never a catch-up burst.
    expect(busiestSlidingWindow(times, 50)).toBeLessThanOrEqual(
      Math.ceil(95 * (0.05 + RATE_BUDGET_LATE_MS / 1000)) + 1,
    );
    expect(busiestSlidingWindow(times)).toBeLessThanOrEqual(95);
    expect(times.length).toBeGreaterThan(0.6 * 95 * 10);
  });

  it('keeps a busy bulk lane at its floor while the nightly lane wants all, and gives it the second once alone', async () => {
    const clock = new TimerClock(START);
    const budget = new MemoryRateBudget();
    const [a, b, c] = processes(3, clock, budget);
    const stopNightlyAt = START + 6_000;
    const nightlyGates = drive(clock, [a!('msp-1', 'nightly'), b!('msp-2', 'nightly')], 8, stopNightlyAt);
    const [bulk] = drive(clock, [c!('msp-3', 'bulk')], 8);
    await clock.runUntil(START + 10_000);
    const nightly = nightlyGates.flat();

    const second = Math.floor(START / 1000);
    const bulkPer = perWindow(bulk!);
    const nightlyPer = perWindow(nightly);
    // Seconds 3–5: both lanes busy, the nightly's demand known. The bulk lane keeps its floor and not much more.
    for (let w = second + 3; w <= second + 5; w++) {
      expect(bulkPer.get(w) ?? 0).toBeGreaterThanOrEqual(laneFloor(95, RATE_BUDGET_LANE_FLOOR_SHARE) - 1);
      expect(bulkPer.get(w) ?? 0).toBeLessThanOrEqual(2 * laneFloor(95, RATE_BUDGET_LANE_FLOOR_SHARE));
      expect(nightlyPer.get(w) ?? 0).toBeGreaterThanOrEqual(75);
    }
    // Seconds 8–9: the nightly lane is done, the bulk lane has the whole second.
    for (let w = second + 8; w <= second + 9; w++) expect(bulkPer.get(w) ?? 0).toBeGreaterThanOrEqual(90);
    expect(busiestSlidingWindow([...nightly, ...bulk!])).toBeLessThanOrEqual(97);
  });

  it('lets a manual resync (the admin lane) overtake a nightly that wants the whole second within seconds', async () => {
    const clock = new TimerClock(START);
    const budget = new MemoryRateBudget();
    const [a, b, c] = processes(3, clock, budget);
    const nightlyGates = drive(clock, [a!('msp-1', 'nightly'), b!('msp-2', 'nightly')], 8);
    await clock.runUntil(START + 3_000);
    const [admin] = drive(clock, [c!('msp-3', 'admin')], 8);
    await clock.runUntil(START + 12_000);
    const nightly = nightlyGates.flat();

    const second = Math.floor(START / 1000);
    const adminPer = perWindow(admin!);
    const nightlyPer = perWindow(nightly);
    // By the sixth second after it started, the admin lane has the second but the nightly's floor.
    for (let w = second + 9; w <= second + 11; w++) {
      expect(adminPer.get(w) ?? 0).toBeGreaterThanOrEqual(95 - 2 * laneFloor(95, RATE_BUDGET_LANE_FLOOR_SHARE));
      expect(nightlyPer.get(w) ?? 0).toBeGreaterThanOrEqual(laneFloor(95, RATE_BUDGET_LANE_FLOOR_SHARE) - 1);
    }
    expect(busiestSlidingWindow([...nightly, ...admin!])).toBeLessThanOrEqual(97);
  });

  it('claims a few tokens per write: about one write per claim size of requests', async () => {
    const clock = new TimerClock(START);
    const budget = new MemoryRateBudget();
    const [gateFor] = processes(1, clock, budget);
    const [times] = drive(clock, [gateFor!('msp-1', 'nightly')], 16);
    await clock.runUntil(START + 10_000);

    // Ten tokens a claim (the last of a second smaller): about a tenth of a write per request.
    expect(budget.claims / times!.length).toBeLessThan(0.12);
  });

  it('keeps one budget for all partners in vendor scope and one per partner in partner scope', async () => {
    const run = async (scope: BudgetSettings['scope']) => {
      const clock = new TimerClock(START);
      const [gateFor] = processes(1, clock, new MemoryRateBudget(), { scope, perSecond: 20, claimSize: 2 });
      const times = drive(clock, [gateFor!('msp-1', 'nightly'), gateFor!('msp-2', 'nightly')], 4);
      await clock.runUntil(START + 5_000);
      return Math.max(...perWindow(times.flat()).values());
    };
    // The busiest second of two partners' calls together.
    expect(await run('vendor')).toBeLessThanOrEqual(20);
    expect(await run('partner')).toBeGreaterThan(20);
    expect(await run('partner')).toBeLessThanOrEqual(40);
  });

  it('paces at the static share while the shared counter fails, and says so', async () => {
    const clock = new TimerClock(START);
    const budget = new MemoryRateBudget();
    budget.failing = new Error('ProvisionedThroughputExceededException');
    log.warn.mockClear();
    const [gateFor] = processes(1, clock, budget, { fallbackPerSecond: 10 });
    const [times] = drive(clock, [gateFor!('msp-1', 'nightly')], 4);
    await clock.runUntil(START + 5_000);

    // 10/s with the pacer's burst of one, not the whole budget.
    expect(times!.length).toBeLessThanOrEqual(10 * 5 + 2);
    expect(times!.length).toBeGreaterThan(30);
    expect(log.warn).toHaveBeenCalledWith(
      'shared rate budget unavailable: pacing at the static share',
      expect.objectContaining({ scope: 'vendor', ratePerSecond: 10 }),
    );
  });

  it('still backs off on a 429: nothing leaves before Retry-After', async () => {
    const clock = new TimerClock(START);
    const [gateFor] = processes(1, clock, new MemoryRateBudget());
    const gate: RateGate = (gateFor as GateFor)('msp-1', 'nightly');
    await clock.runUntil(START + 1_000);
    gate.penalize(3_000);
    const [times] = drive(clock, [gate], 4);
    await clock.runUntil(START + 6_000);

    expect(times!.length).toBeGreaterThan(0);
    expect(Math.min(...times!)).toBeGreaterThanOrEqual(START + 4_000);
  });
});

describe('the API’s Gradient calls', () => {
  const recordingGate = () => {
    const events: string[] = [];
    const gateFor = (partnerId: string): RateGate => ({
      acquire: async () => void events.push(`acquire ${partnerId}`),
      penalize: (ms) => void events.push(`penalize ${ms}`),
    });
    return { events, gateFor };
  };

  it('draw each call from the partner’s gate before it is sent', async () => {
    const deps = memoryDeps();
    const fake = new FakeGradient();
    deps.gradients.set('key-1', fake);
    const { events, gateFor } = recordingGate();
    fake.beforeCall = (route) => void events.push(route);
    const result = await testConnection(
      { ...deps, gradient: budgetedFactory(deps.gradient, gateFor) },
      'msp-1',
      'key-1',
    );

    expect(result.ok).toBe(true);
    expect(events).toEqual(['acquire msp-1', 'getOrganization']);
  });

  it('back the gate off on a 429 and answer it, without retrying', async () => {
    const deps = memoryDeps();
    const fake = new FakeGradient();
    deps.gradients.set('key-1', fake);
    fake.beforeCall = () => {
      throw new GradientRateLimitedError('Request limit reached', 2_000);
    };
    const { events, gateFor } = recordingGate();
    const result = await testConnection(
      { ...deps, gradient: budgetedFactory(deps.gradient, gateFor) },
      'msp-1',
      'key-1',
    );

    expect(result).toMatchObject({ ok: false, code: 'gradient_rate_limited' });
    expect(events).toEqual(['acquire msp-1', 'penalize 2000']);
  });
});
