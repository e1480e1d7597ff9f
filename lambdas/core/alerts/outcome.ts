// What a failed alert post means for the alert and the period (README, "Billing-health alerts"). Pure.
import {
  DeadlineReachedError,
  GradientBadRequestError,
  GradientKeyRejectedError,
  GradientNotFoundError,
  GradientRateLimitedError,
  GradientServerError,
} from '../errors';

/**
 * - `refused`: Gradient refused the alert itself (no Alerts module, no PSA board, an account it does not know):
 *   the period's refusal is recorded once and nothing more is tried that period;
 * - `failed`: Gradient answered that it queued nothing (5xx, 429), or the call never started: the next run tries again;
 * - `uncertain`: no answer that says (a timeout, a dropped connection, an unreadable 2xx): it may have become a
 *   ticket, so it is not sent again;
 * - `stop`: the key was rejected: nothing more is sent this run (the run's own calls report the key).
 */
export type AlertFailure = 'refused' | 'failed' | 'uncertain' | 'stop';

export function alertFailureOf(error: unknown): AlertFailure {
  if (error instanceof GradientKeyRejectedError) return 'stop';
  if (error instanceof GradientBadRequestError || error instanceof GradientNotFoundError) return 'refused';
  if (
    error instanceof GradientServerError ||
    error instanceof GradientRateLimitedError ||
    error instanceof DeadlineReachedError
  ) {
    return 'failed';
  }
  return 'uncertain';
}
