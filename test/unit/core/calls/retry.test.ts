import {
  gradientRetryAfter,
  isRetryableGradientError,
  type RetryOptions,
  withRetries,
} from '../../../../lambdas/core/calls/retry';
import {
  GradientKeyRejectedError,
  GradientNotMappedError,
  GradientRateLimitedError,
  GradientServerError,
  GradientTimeoutError,
} from '../../../../lambdas/core/errors';
import type { Clock } from '../../../../lambdas/core/ports';

/** Virtual time that jumps forward on every sleep (retries sleep one at a time). */
class SteppingClock implements Clock {
  sleeps: number[] = [];
  constructor(public t = 0) {}
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}

class Transient extends Error {}
class Fatal extends Error {}

const options = (clock: Clock, overrides: Partial<RetryOptions> = {}): RetryOptions => ({
  clock,
  deadline: Number.POSITIVE_INFINITY,
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  random: () => 0.5,
  isRetryable: (e) => e instanceof Transient,
  ...overrides,
});

/** Fails with `Transient('fail <attempt>')` for the first `failures` attempts, then answers 'ok'. */
const flaky = (failures: number) => {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    if (attempt <= failures) throw new Transient(`fail ${attempt}`);
    return 'ok';
  };
  return { fn, attempts };
};

describe('withRetries', () => {
  it('retries retryable errors with jittered exponential backoff until the call succeeds', async () => {
    const clock = new SteppingClock();
    const { fn, attempts } = flaky(2);
    const onRetry = jest.fn();
    await expect(withRetries(fn, options(clock, { onRetry }))).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    // 0.5 × min(1000, 100 × 2^0) = 50, then 0.5 × min(1000, 100 × 2^1) = 100
    expect(clock.sleeps).toEqual([50, 100]);
    expect(onRetry.mock.calls.map(([e, attempt, delay]) => [(e as Error).message, attempt, delay])).toEqual([
      ['fail 1', 1, 50],
      ['fail 2', 2, 100],
    ]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const clock = new SteppingClock();
    const { fn } = flaky(5);
    await withRetries(fn, options(clock, { maxAttempts: 6, maxDelayMs: 300 }));
    // caps 100, 200, 300, 300, 300, each × 0.5
    expect(clock.sleeps).toEqual([50, 100, 150, 150, 150]);
  });

  it('retries at once when the jitter draws 0 (full jitter starts at zero)', async () => {
    const clock = new SteppingClock();
    const { fn } = flaky(1);
    await withRetries(fn, options(clock, { random: () => 0 }));
    expect(clock.sleeps).toEqual([0]);
  });

  it('rethrows a non-retryable error at once', async () => {
    const clock = new SteppingClock();
    const fatal = new Fatal('bad request');
    const fn = jest.fn(async () => {
      throw fatal;
    });
    await expect(withRetries(fn, options(clock))).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('rethrows the last error once maxAttempts is reached', async () => {
    const clock = new SteppingClock();
    const { fn, attempts } = flaky(10);
    await expect(withRetries(fn, options(clock, { maxAttempts: 3 }))).rejects.toThrow('fail 3');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('stops when the next attempt could not start before the deadline', async () => {
    const clock = new SteppingClock(10_000);
    const { fn, attempts } = flaky(10);
    // attempt 1 fails at 10 000, waits 50 → attempt 2 at 10 050 fails; waiting 100 would reach 10 150 ≥ 10 120
    await expect(withRetries(fn, options(clock, { deadline: 10_120 }))).rejects.toThrow('fail 2');
    expect(attempts).toEqual([1, 2]);
    expect(clock.t).toBe(10_050);
  });

  it('waits at least Retry-After, even beyond maxDelayMs', async () => {
    const clock = new SteppingClock();
    const { fn } = flaky(1);
    await withRetries(fn, options(clock, { retryAfterMs: () => 1500 }));
    expect(clock.sleeps).toEqual([1500]);
  });

  it('keeps the jittered delay when it is already longer than Retry-After', async () => {
    const clock = new SteppingClock();
    const { fn } = flaky(1);
    await withRetries(fn, options(clock, { baseDelayMs: 1000, retryAfterMs: () => 100 }));
    expect(clock.sleeps).toEqual([500]);
  });

  it('gives up instead of waiting for a Retry-After that ends past the deadline', async () => {
    const clock = new SteppingClock();
    const { fn, attempts } = flaky(1);
    await expect(withRetries(fn, options(clock, { deadline: 1000, retryAfterMs: () => 5000 }))).rejects.toThrow(
      'fail 1',
    );
    expect(attempts).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
  });

  it('refuses maxAttempts below 1', async () => {
    await expect(withRetries(async () => 1, options(new SteppingClock(), { maxAttempts: 0 }))).rejects.toThrow(
      RangeError,
    );
  });
});

describe('Gradient retry helpers', () => {
  it('retries 429, 5xx and timeouts but not key rejections, unmapped lines or foreign errors', () => {
    expect(isRetryableGradientError(new GradientRateLimitedError('slow down', 2000))).toBe(true);
    expect(isRetryableGradientError(new GradientServerError('boom', 503))).toBe(true);
    expect(isRetryableGradientError(new GradientTimeoutError('timeout'))).toBe(true);
    expect(isRetryableGradientError(new GradientKeyRejectedError('no', 401))).toBe(false);
    expect(isRetryableGradientError(new GradientNotMappedError('unmapped', 404))).toBe(false);
    expect(isRetryableGradientError(new Error('other'))).toBe(false);
    expect(isRetryableGradientError('string')).toBe(false);
  });

  it('reads Retry-After from a 429 only', () => {
    expect(gradientRetryAfter(new GradientRateLimitedError('slow down', 2000))).toBe(2000);
    expect(gradientRetryAfter(new GradientRateLimitedError('slow down'))).toBeUndefined();
    expect(gradientRetryAfter(new GradientServerError('boom', 503))).toBeUndefined();
  });

  it('drives withRetries through a 429 with Retry-After to success', async () => {
    const clock = new SteppingClock();
    let calls = 0;
    const fn = async () => {
      calls++;
      if (calls === 1) throw new GradientRateLimitedError('slow down', 1200);
      return 'accepted';
    };
    const result = await withRetries(
      fn,
      options(clock, { isRetryable: isRetryableGradientError, retryAfterMs: gradientRetryAfter }),
    );
    expect(result).toBe('accepted');
    expect(clock.sleeps).toEqual([1200]);
  });
});
