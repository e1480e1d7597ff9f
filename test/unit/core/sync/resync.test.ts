// A manual resync on its own: the run it queues for which period and as of which day, the periods it refuses
// (future, further back than allowed, a partner that is not syncing) without queuing anything, and the
// Idempotency-Key that answers a repeated request with the run it already queued.
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/core/errors';
import type { PartnerStatus } from '../../../../lambdas/core/model';
import { resync } from '../../../../lambdas/core/sync/resync';
import { resyncOnce } from '../../../../lambdas/core/sync/resync-once';
import { type MemoryDeps, memoryDeps } from '../../../support/memory-deps';

const PARTNER = 'msp-1';
const LIMITS = { maxClosedPeriods: 2 };

/** A partner in `status`; the clock stands at 2026-11-26T02:00Z. */
async function setup(status: PartnerStatus = 'connected'): Promise<MemoryDeps> {
  const deps = memoryDeps();
  await deps.partners.put({ partnerId: PARTNER, status, roundingPolicy: 'none', updatedAt: '2026-11-01' });
  return deps;
}

const nothingQueued = (deps: MemoryDeps) => {
  expect(deps.state.sent).toEqual([]);
  expect(deps.runs.runs.size).toBe(0);
};

describe('a manual resync', () => {
  it('queues the current period as of today, recorded as a queued resync run', async () => {
    const deps = await setup();
    const queued = await resync(deps, PARTNER, {}, LIMITS);

    expect(queued).toMatchObject({ period: '2026-11', asOf: '2026-11-26', full: false });
    expect(queued.runId).toMatch(/^20261126T020000Z-r-[0-9a-f]{8}$/);
    expect(deps.state.sent).toEqual([expect.objectContaining({ runId: queued.runId, trigger: 'resync', full: false })]);
    expect(await deps.runs.get(PARTNER, queued.runId)).toMatchObject({ status: 'queued', period: '2026-11' });
  });

  it('computes a closed period as of its last day, and a full resync when asked', async () => {
    const deps = await setup();
    expect(await resync(deps, PARTNER, { period: '2026-09', full: true }, LIMITS)).toMatchObject({
      period: '2026-09',
      asOf: '2026-09-30',
      full: true,
    });
  });

  it.each([
    ['a period that has not started', '2026-12', /in the future/],
    ['a period further back than RESYNC_MAX_CLOSED_PERIODS', '2026-08', /earliest is 2026-09/],
  ])('refuses %s and queues nothing', async (_, period, message) => {
    const deps = await setup();
    const refused = resync(deps, PARTNER, { period }, LIMITS);
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      issues: [{ path: 'period', message: expect.stringMatching(message) }],
    });
    nothingQueued(deps);
  });

  it.each(['auth_failed', 'disconnected'] as const)('refuses a partner whose status is %s', async (status) => {
    const deps = await setup(status);
    await expect(resync(deps, PARTNER, {}, LIMITS)).rejects.toBeInstanceOf(ConflictError);
    nothingQueued(deps);
  });

  it('refuses a partner it does not know', async () => {
    const deps = memoryDeps();
    await expect(resync(deps, 'nobody', {}, LIMITS)).rejects.toBeInstanceOf(NotFoundError);
    nothingQueued(deps);
  });

  it('answers the same Idempotency-Key with the run it queued, and refuses the key for another request', async () => {
    const deps = await setup();
    const first = await resyncOnce(deps, PARTNER, 'key-1', { period: '2026-10' }, LIMITS);
    deps.clock.ms += 60_000;
    const again = await resyncOnce(deps, PARTNER, 'key-1', { period: '2026-10', full: false }, LIMITS);

    expect(again).toEqual(first);
    expect(deps.state.sent).toHaveLength(1);
    await expect(resyncOnce(deps, PARTNER, 'key-1', { period: '2026-11' }, LIMITS)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(deps.state.sent).toHaveLength(1);

    // Another key is another request.
    await resyncOnce(deps, PARTNER, 'key-2', { period: '2026-10' }, LIMITS);
    expect(deps.state.sent).toHaveLength(2);
  });
});
