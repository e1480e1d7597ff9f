// Retrying a Gradient call: capped exponential backoff with full jitter, bounded by a deadline so an invocation
// stops in time to save its progress. The Gradient client never retries, so this is the only layer that retries
// Gradient; the AWS SDK clients keep their own standard retries, and the DynamoDB adapter resends unprocessed
// batch items.
import { GradientError, GradientRateLimitedError } from '../errors';
import type { Clock } from '../ports';

export interface RetryOptions {
  clock: Clock;
  /** Epoch ms; no attempt starts at or after it. */
  deadline: number;
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Source of jitter in [0, 1); defaults to Math.random. */
  random?: () => number;
  isRetryable(e: unknown): boolean;
  /** A server-imposed minimum wait (Retry-After) carried by the error, if any. */
  retryAfterMs?(e: unknown): number | undefined;
  /** Called before each wait, with the attempt that just failed (1-based). */
  onRetry?(e: unknown, attempt: number, delayMs: number): void;
}

/**
 * Runs `fn` until it resolves. Rethrows the last error as soon as it is not retryable, `maxAttempts` is
 * reached, or the next attempt could not start before `deadline`. The first attempt always runs.
 */
export const withRetries = async <T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> => {
  if (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${opts.maxAttempts}`);
  }
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= opts.maxAttempts || !opts.isRetryable(e)) throw e;
      const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      let delayMs = Math.floor(random() * Math.max(0, cap));
      const retryAfter = opts.retryAfterMs?.(e);
      if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter > delayMs) {
        delayMs = Math.ceil(retryAfter);
      }
      if (opts.clock.now().getTime() + delayMs >= opts.deadline) throw e;
      opts.onRetry?.(e, attempt, delayMs);
      await opts.clock.sleep(delayMs);
    }
  }
};

/** Gradient errors say themselves whether the same call may succeed later; anything else is not retried. */
export const isRetryableGradientError = (e: unknown): boolean => e instanceof GradientError && e.retryable;

/** The Retry-After of a 429, when Gradient sent one. */
export const gradientRetryAfter = (e: unknown): number | undefined =>
  e instanceof GradientRateLimitedError ? e.retryAfterMs : undefined;
