// One paced, retried call to Gradient: the only retry layer of the sync. Out of time or attempts on a retryable
// error, a call says it is resumable, so the line stays open for the run's next delivery. No request starts at
// or after the deadline, however long the gate made it wait.
import { DeadlineReachedError, GradientRateLimitedError } from '../errors';
import type { CallDeps, GradientPort } from '../ports';
import { decorateGradient } from './decorate';
import { gradientRetryAfter, isRetryableGradientError, withRetries } from './retry';

/** Paces calls to Gradient; one instance is shared by everything a worker process sends. */
export interface RateGate {
  /**
   * Resolves when one request may go. With a `deadline` (epoch ms) a gate may reject at once with
   * DeadlineReachedError when it could not let the request go before it; the caller checks the time again anyway.
   */
  acquire(deadline?: number): Promise<void>;
  penalize(retryAfterMs?: number): void;
  /** The effective rate now, when the gate adapts it (the Pacer does); logged when Gradient answers 429. */
  effectiveRate?(): number;
  /**
   * The holder is about to ask for about `calls` requests, then go quiet (a push of that many lines): a gate that
   * claims tokens ahead claims no more than that, so none is left to lapse when the push ends. Counted down as
   * tokens are handed out; from 0 on the gate claims as it does without the hint.
   */
  expect?(calls: number): void;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface CallOptions {
  gate: RateGate;
  /** Epoch ms after which no new call starts; what is left is resumed by the message's redelivery. */
  deadline: number;
  retry: RetryPolicy;
  random?: () => number;
  /** No redelivery will come: a failing call is final, not resumable. */
  finalDelivery?: boolean;
}

export type Caller = <T>(label: string, fn: () => Promise<T>) => Promise<{ value: T; attempts: number }>;

export function callerFor(deps: CallDeps, options: CallOptions): Caller {
  const { clock } = deps;
  return async (label, fn) => {
    let attempts = 0;
    try {
      const value = await withRetries(
        async (attempt) => {
          await options.gate.acquire(options.deadline);
          const began = clock.now().getTime();
          // The gate's wait is not bounded by the deadline: check again, and give up without sending.
          if (began >= options.deadline) throw new DeadlineReachedError();
          attempts = attempt;
          deps.metrics.add('GradientRequests', 1);
          try {
            return await fn();
          } finally {
            deps.metrics.add('GradientLatency', clock.now().getTime() - began, 'Milliseconds');
          }
        },
        {
          clock,
          deadline: options.deadline,
          ...options.retry,
          ...(options.random && { random: options.random }),
          isRetryable: isRetryableGradientError,
          retryAfterMs: gradientRetryAfter,
          onRetry: (error, attempt, delayMs) => {
            const rateLimited = error instanceof GradientRateLimitedError;
            if (rateLimited) {
              deps.metrics.add('GradientRateLimited', 1);
              options.gate.penalize(error.retryAfterMs);
            }
            deps.metrics.add('GradientRetries', 1);
            deps.log.debug('retrying Gradient call', {
              call: label,
              attempt,
              delayMs,
              error: errorText(error),
              ...(rateLimited && options.gate.effectiveRate && { ratePerSecond: options.gate.effectiveRate() }),
            });
          },
        },
      );
      return { value, attempts };
    } catch (error) {
      // Out of time or of attempts on a retryable error: the next delivery tries again, unless there is none. A
      // call the deadline stopped before it was sent always stays open (a continuation may still send it).
      const notSent = error instanceof DeadlineReachedError;
      // A retryable error with attempts left means the retry gave up because its wait would end past the deadline.
      const outOfTime = notSent || (isRetryableGradientError(error) && attempts < options.retry.maxAttempts);
      const resumable = notSent || (isRetryableGradientError(error) && !options.finalDelivery);
      throw new CallFailed(error, attempts, resumable, outOfTime);
    }
  };
}

/** A call that gave up; `resumable` means it might succeed on the next delivery, so the line stays open. */
export class CallFailed extends Error {
  constructor(
    override readonly cause: unknown,
    /** Requests sent: 0 when the deadline stopped the call before its first one. */
    readonly attempts: number,
    readonly resumable: boolean,
    /** The deadline ended it (not sent, or no time left for a retry), not Gradient's answers alone. */
    readonly outOfTime = false,
  ) {
    super(errorText(cause));
  }
}

export const unwrap = (e: unknown) => (e instanceof CallFailed ? e.cause : e);

/** An error as one line for a log or a receipt: its class and message (errors here never carry a key). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The same Gradient with every call paced and retried, for code written against the plain port. */
export const pacedGradient = (gradient: GradientPort, call: Caller): GradientPort =>
  decorateGradient(gradient, (operation, invoke) =>
    call(operation, () => invoke()).then(
      (r) => r.value,
      (e: unknown) => {
        throw unwrap(e);
      },
    ),
  );
