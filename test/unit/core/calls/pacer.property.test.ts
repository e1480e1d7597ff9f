// Property tests of the pacer's invariants on virtual time: under any schedule of acquires and 429 penalties
// it never hands out more than burst + rate × window, serves callers first come first served, hands out
// nothing during a back-off, keeps one timer at most, and eventually serves everyone.
import * as fc from 'fast-check';
import { Pacer } from '../../../../lambdas/core/calls/pacer';
import { settle, TimerClock } from '../../../support/timer-clock';

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const RUNS = { numRuns: 150, seed: 429 };
const DEFAULT_BACKOFF_MS = 1000;
/** The rate never falls below 5 % of the configured one (pacer.ts), which bounds how long a queue can take. */
const MIN_RATE_SHARE = 0.05;

type Step = { gapMs: number; kind: 'acquire' } | { gapMs: number; kind: 'penalize'; retryAfterMs: number | undefined };

const gapArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2000 }));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ gapMs: gapArb, kind: fc.constant('acquire' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      gapMs: gapArb,
      kind: fc.constant('penalize' as const),
      retryAfterMs: fc.oneof(
        fc.constant(undefined),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom(Number.NaN, -5, Number.POSITIVE_INFINITY),
      ),
    }),
  },
);

const scenarioArb = fc.record({
  ratePerSecond: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.5, max: 20, noNaN: true })),
  burst: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 30 }),
});

type Entry = { kind: 'grant'; at: number; caller: number } | { kind: 'penalty'; at: number; backoffMs: number };

/** Plays the steps on virtual time, then lets time run until every caller must have been served. */
const play = async ({ ratePerSecond, burst, steps }: ValueOf<typeof scenarioArb>) => {
  const clock = new TimerClock(1_700_000_000_000);
  const pacer = new Pacer({ ratePerSecond, clock, ...(burst !== undefined && { burst }) });
  const log: Entry[] = [];
  let callers = 0;
  let maxTimers = 0;
  let longestBackoff = 0;
  for (const step of steps) {
    await clock.runUntil(clock.t + step.gapMs);
    if (step.kind === 'acquire') {
      const caller = callers++;
      void pacer.acquire().then(() => log.push({ kind: 'grant', at: clock.t, caller }));
    } else {
      pacer.penalize(step.retryAfterMs);
      const r = step.retryAfterMs;
      const backoffMs = r !== undefined && Number.isFinite(r) && r >= 0 ? r : DEFAULT_BACKOFF_MS;
      longestBackoff = Math.max(longestBackoff, backoffMs);
      log.push({ kind: 'penalty', at: clock.t, backoffMs });
    }
    await settle();
    maxTimers = Math.max(maxTimers, clock.pending);
  }
  const servedBy = clock.t + longestBackoff + (callers * 1000) / (ratePerSecond * MIN_RATE_SHARE) + 1000;
  await clock.runUntil(servedBy);
  return {
    log,
    callers,
    maxTimers,
    timersLeft: clock.pending,
    burst: burst ?? Math.max(1, Math.ceil(ratePerSecond / 10)),
  };
};

const grantsOf = (log: Entry[]) => log.filter((e): e is Extract<Entry, { kind: 'grant' }> => e.kind === 'grant');

describe('Pacer under any schedule of acquires and penalties', () => {
  it('never hands out more than burst + rate × window in any window of virtual time', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { log, burst } = await play(s);
        const grants = grantsOf(log);
        for (let i = 0; i < grants.length; i++) {
          for (let j = i; j < grants.length; j++) {
            const windowMs = grants[j]!.at - grants[i]!.at;
            expect(j - i + 1).toBeLessThanOrEqual(burst + (s.ratePerSecond * windowMs) / 1000 + 1e-6);
          }
        }
      }),
      RUNS,
    );
  });

  it('serves every caller, first come first served, with one timer at most', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { log, callers, maxTimers, timersLeft } = await play(s);
        expect(grantsOf(log).map((g) => g.caller)).toEqual([...Array(callers).keys()]);
        expect(maxTimers).toBeLessThanOrEqual(1);
        expect(timersLeft).toBe(0);
      }),
      RUNS,
    );
  });

  it('hands out nothing until the back-off of every penalty has passed (Retry-After, or 1 s without one)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { log } = await play(s);
        log.forEach((entry, k) => {
          if (entry.kind !== 'penalty') return;
          for (const later of grantsOf(log.slice(k + 1))) {
            expect(later.at).toBeGreaterThanOrEqual(entry.at + entry.backoffMs);
          }
        });
      }),
      RUNS,
    );
  });
});
