// A resync under an `Idempotency-Key`: the first request with a key queues a run and remembers its answer for
// a day; the same key again answers that run and queues nothing, the same key with another request is refused.
// The key maps to the run id it answered (stored beside the partner's runs) rather than deriving the run id from
// the key: run ids sort by time for newest-first listing, and the time of the first request is what a later
// one could not derive.
import { ConflictError } from '../errors';
import { IDEMPOTENCY_WINDOW_MS, type ResyncClaim } from '../model';
import type { AppDeps } from '../ports';
import { enqueueResync, prepareResync, type QueuedResync, type ResyncInput, type ResyncLimits } from './resync';

/** The request as the key remembers it: an absent `full` is `false`, an absent period stays "the current one". */
const requestOf = (input: ResyncInput): ResyncClaim['request'] => ({
  ...(input.period !== undefined && { period: input.period }),
  full: input.full ?? false,
});

export async function resyncOnce(
  deps: AppDeps,
  partnerId: string,
  key: string,
  input: ResyncInput,
  limits: ResyncLimits,
): Promise<QueuedResync> {
  const now = deps.clock.now();
  const request = requestOf(input);
  const earlier = await deps.runs.getClaim(partnerId, key, now.toISOString());
  if (earlier) return replay(deps, partnerId, earlier, request);

  const queued = await prepareResync(deps, partnerId, input, limits);
  const claim: ResyncClaim = {
    key,
    request,
    answer: queued,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
  };
  const taken = await deps.runs.claim(partnerId, claim, now.toISOString());
  // The same key sent twice at once: the other request claimed it first.
  if (taken.kind === 'existing') return replay(deps, partnerId, taken.claim, request);
  try {
    return await enqueueResync(deps, partnerId, queued);
  } catch (error) {
    await deps.runs.forgetClaim(partnerId, key).catch(() => undefined);
    throw error;
  }
}

async function replay(
  deps: AppDeps,
  partnerId: string,
  claim: ResyncClaim,
  request: ResyncClaim['request'],
): Promise<QueuedResync> {
  if (claim.request.period !== request.period || claim.request.full !== request.full) {
    throw new ConflictError(
      'this Idempotency-Key was used for a different resync request; use a new key',
      'idempotency_key_reused',
    );
  }
  // The first request may have died between its claim and its run: queue the run it answered.
  if (!(await deps.runs.get(partnerId, claim.answer.runId))) await enqueueResync(deps, partnerId, claim.answer);
  return claim.answer;
}
