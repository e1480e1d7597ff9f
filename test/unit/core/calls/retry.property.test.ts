// Property tests of withRetries on virtual time: under any sequence of outcomes it makes at most maxAttempts
// attempts, retries only retryable errors, waits capped exponential backoff with full jitter (or the
// server's Retry-After when longer), never sleeps into its deadline, and answers the first success or the
// last error.
import * as fc from 'fast-check';
import { type RetryOptions, withRetries } from '../../../../lambdas/core/calls/retry';
import { VirtualClock } from '../../../support/memory-deps';

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const RUNS = { numRuns: 300, seed: 503 };

class Retryable extends Error {
  constructor(
    readonly attempt: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`retryable failure of attempt ${attempt}`);
  }
}
class Fatal extends Error {}

/** What one attempt does: how long it takes, then how it ends. */
interface Outcome {
  tookMs: number;
  ends: 'ok' | 'retryable' | 'fatal';
  retryAfterMs?: number;
}

const outcomeArb: fc.Arbitrary<Outcome> = fc.record(
  {
    tookMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
    ends: fc.oneof(
      { weight: 6, arbitrary: fc.constant('retryable' as const) },
      { weight: 1, arbitrary: fc.constant('ok' as const) },
      { weight: 1, arbitrary: fc.constant('fatal' as const) },
    ),
    retryAfterMs: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.double({ min: 0, max: 20_000, noNaN: true })),
  },
  { requiredKeys: ['tookMs', 'ends'] },
);

const scenarioArb = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 8 }),
  baseDelayMs: fc.integer({ min: 0, max: 2000 }),
  maxDelayMs: fc.integer({ min: 0, max: 10_000 }),
  /** How far away the deadline is when the first attempt starts; none at all sometimes. */
  deadlineInMs: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
  outcomes: fc.array(outcomeArb, { minLength: 8, maxLength: 8 }),
  jitter: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 8, maxLength: 8 }),
});

type Scenario = ValueOf<typeof scenarioArb>;

const START = 1_700_000_000_000;

const play = async (s: Scenario) => {
  const clock = new VirtualClock(START);
  const deadline = s.deadlineInMs === undefined ? Number.POSITIVE_INFINITY : START + s.deadlineInMs;
  const attempts: Array<{ attempt: number; at: number }> = [];
  const sleeps: Array<{ from: number; ms: number }> = [];
  const retries: Array<{ error: unknown; attempt: number; delayMs: number }> = [];
  const sleep = clock.sleep.bind(clock);
  clock.sleep = (ms) => {
    sleeps.push({ from: clock.ms, ms });
    return sleep(ms);
  };
  let draws = 0;
  const options: RetryOptions = {
    clock,
    deadline,
    maxAttempts: s.maxAttempts,
    baseDelayMs: s.baseDelayMs,
    maxDelayMs: s.maxDelayMs,
    random: () => s.jitter[draws++ % s.jitter.length]!,
    isRetryable: (e) => e instanceof Retryable,
    retryAfterMs: (e) => (e instanceof Retryable ? e.retryAfterMs : undefined),
    onRetry: (error, attempt, delayMs) => retries.push({ error, attempt, delayMs }),
  };
  const fn = async (attempt: number) => {
    attempts.push({ attempt, at: clock.ms });
    const o = s.outcomes[attempt - 1]!;
    clock.ms += o.tookMs;
    if (o.ends === 'ok') return `value of attempt ${attempt}`;
    if (o.ends === 'fatal') throw new Fatal(`fatal failure of attempt ${attempt}`);
    throw new Retryable(attempt, o.retryAfterMs);
  };
  const result = await withRetries(fn, options).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { result, attempts, sleeps, retries, deadline };
};

/** The documented wait after failed attempt `n`: full jitter under min(max, base × 2^(n−1)), or Retry-After if longer. */
const documentedDelay = (s: Scenario, n: number, jitter: number, retryAfterMs: number | undefined): number => {
  const cap = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** (n - 1));
  const jittered = Math.floor(jitter * cap);
  return retryAfterMs !== undefined && retryAfterMs > jittered ? Math.ceil(retryAfterMs) : jittered;
};

describe('withRetries under any sequence of outcomes', () => {
  it('makes at most maxAttempts attempts, numbered 1, 2, …, and retries only retryable errors', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { attempts } = await play(s);
        expect(attempts.length).toBeGreaterThanOrEqual(1);
        expect(attempts.length).toBeLessThanOrEqual(s.maxAttempts);
        expect(attempts.map((a) => a.attempt)).toEqual([...Array(attempts.length).keys()].map((i) => i + 1));
        // Every attempt but the last failed with a retryable error.
        for (const a of attempts.slice(0, -1)) expect(s.outcomes[a.attempt - 1]!.ends).toBe('retryable');
      }),
      RUNS,
    );
  });

  it('answers the first success, or the last error when it is not retryable, out of attempts or out of time', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { result, attempts, sleeps, deadline } = await play(s);
        const last = attempts.length;
        const outcome = s.outcomes[last - 1]!;
        if (outcome.ends === 'ok') {
          expect(result).toEqual({ ok: true, value: `value of attempt ${last}` });
          return;
        }
        expect(result.ok).toBe(false);
        const error = (result as { error: unknown }).error;
        expect((error as Error).message).toBe(`${outcome.ends} failure of attempt ${last}`);
        if (outcome.ends === 'retryable' && last < s.maxAttempts) {
          // Gave up early: only because the next wait would have reached the deadline.
          const endedAt = attempts[last - 1]!.at + outcome.tookMs;
          const wait = documentedDelay(s, last, s.jitter[(last - 1) % s.jitter.length]!, outcome.retryAfterMs);
          expect(endedAt + wait).toBeGreaterThanOrEqual(deadline);
          expect(sleeps).toHaveLength(last - 1);
        }
      }),
      RUNS,
    );
  });

  it('waits the documented backoff, capped at maxDelayMs unless Retry-After asks for longer', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { sleeps, retries } = await play(s);
        expect(retries.map((r) => r.delayMs)).toEqual(sleeps.map((x) => x.ms));
        sleeps.forEach((sleep, i) => {
          const n = i + 1;
          const retryAfterMs = s.outcomes[i]!.retryAfterMs;
          expect(retries[i]!.attempt).toBe(n);
          expect((retries[i]!.error as Retryable).attempt).toBe(n);
          expect(sleep.ms).toBe(documentedDelay(s, n, s.jitter[i]!, retryAfterMs));
          expect(Number.isInteger(sleep.ms) && sleep.ms >= 0).toBe(true);
          if (retryAfterMs === undefined) expect(sleep.ms).toBeLessThanOrEqual(s.maxDelayMs);
          else expect(sleep.ms).toBeLessThanOrEqual(Math.max(s.maxDelayMs, Math.ceil(retryAfterMs)));
        });
      }),
      RUNS,
    );
  });

  it('never sleeps into its deadline, so every attempt after the first starts before it', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { sleeps, attempts, deadline } = await play(s);
        for (const sleep of sleeps) expect(sleep.from + sleep.ms).toBeLessThan(deadline);
        for (const a of attempts.slice(1)) expect(a.at).toBeLessThan(deadline);
      }),
      RUNS,
    );
  });

  it('runs the first attempt even at its deadline, and refuses a maxAttempts that is not a whole number ≥ 1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -10_000, max: 0 }),
        fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 1.01, max: 9.99, noNaN: true }), fc.constant(Number.NaN)),
        async (pastBy, badMaxAttempts) => {
          const clock = new VirtualClock(START);
          const base = { clock, deadline: START + pastBy, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => true };
          await expect(withRetries(async () => 'ran', { ...base, maxAttempts: 3 })).resolves.toBe('ran');
          let called = false;
          const fn = async () => {
            called = true;
          };
          await expect(withRetries(fn, { ...base, maxAttempts: badMaxAttempts })).rejects.toThrow(RangeError);
          expect(called).toBe(false);
        },
      ),
      { ...RUNS, numRuns: 100 },
    );
  });
});
