// Per-subject rate limits of API routes, counted in the shared Limits table (so every API instance sees the same
// count, unlike a per-process memory): past the limit, 429 with Retry-After and nothing else done.
import type { AppDeps, AttemptLimit } from '../../core/ports';
import { HttpError } from './http';

/** Counts one attempt of `what` for `subject`; throws 429 when the current window is full. */
export async function enforceLimit(
  deps: Pick<AppDeps, 'limits' | 'clock'>,
  what: string,
  subject: string,
  limit: AttemptLimit,
): Promise<void> {
  const verdict = await deps.limits.take(`${what}#${subject}`, limit, deps.clock.now());
  if (verdict.allowed) return;
  throw new HttpError(
    429,
    'too_many_requests',
    `at most ${limit.max} ${what} requests per ${limit.windowSeconds} s for ${subject}; try again in ${verdict.retryAfterSeconds} s`,
    undefined,
    { 'retry-after': String(verdict.retryAfterSeconds) },
  );
}
