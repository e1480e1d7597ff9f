import type { Partner } from '../../../../lambdas/core/model';
import { defaultCloseDay } from '../../../../lambdas/core/partners';
import { QUEUE_BATCH_MAX } from '../../../../lambdas/core/ports';
import { PLAN_BATCHES_IN_FLIGHT, planNightly } from '../../../../lambdas/core/sync/plan';
import { memoryDeps } from '../../../support/memory-deps';

const partner = (partnerId: string, closeDay?: number): Partner => ({
  partnerId,
  status: 'connected',
  roundingPolicy: 'none',
  ...(closeDay !== undefined && { closeDay }),
  updatedAt: '2026-11-01T00:00:00.000Z',
});

describe('planNightly', () => {
  it('queues each partner’s own period: the closed month before its close day, the new month from it', async () => {
    const deps = memoryDeps();
    for (const p of [partner('msp-a', 1), partner('msp-b', 3), partner('msp-c', 4), partner('msp-d', 28)]) {
      deps.state.partners.set(p.partnerId, p);
    }
    // The tick of the 4th computes as of the 3rd.
    const plan = await planNightly(deps, new Date('2026-12-04T02:00:00.000Z'));
    expect(plan).toMatchObject({ period: '2026-12', asOf: '2026-12-03', enqueued: 4, closedPeriod: 2, failed: [] });
    // msp-b's new period begins tonight (close day 3): it goes first (the order of the rest: night-order.test.ts).
    expect(deps.state.sent[0]?.partnerId).toBe('msp-b');
    const sent = deps.state.sent.map(({ partnerId, period, asOf, full }) => ({ partnerId, period, asOf, full }));
    expect(sent.sort((a, b) => a.partnerId.localeCompare(b.partnerId))).toEqual([
      { partnerId: 'msp-a', period: '2026-12', asOf: '2026-12-03', full: false },
      { partnerId: 'msp-b', period: '2026-12', asOf: '2026-12-03', full: false },
      { partnerId: 'msp-c', period: '2026-11', asOf: '2026-11-30', full: false },
      { partnerId: 'msp-d', period: '2026-11', asOf: '2026-11-30', full: false },
    ]);
    const run = await deps.runs.get('msp-c', plan.runId);
    expect(run).toMatchObject({ status: 'queued', period: '2026-11', asOf: '2026-11-30' });
  });

  it('puts a partner’s first night (nothing accepted yet: pending) in the bulk lane, the others in the nightly lane', async () => {
    const deps = memoryDeps();
    deps.state.partners.set('msp-new', { ...partner('msp-new', 1), status: 'pending' });
    deps.state.partners.set('msp-old', partner('msp-old', 1));
    const plan = await planNightly(deps, new Date('2026-12-04T02:00:00.000Z'));
    const lanes = Object.fromEntries(deps.state.sent.map((m) => [m.partnerId, m.lane]));
    expect(lanes).toEqual({ 'msp-new': 'bulk', 'msp-old': 'nightly' });
    // The run record carries it too, for the run view.
    expect(await deps.runs.get('msp-new', plan.runId)).toMatchObject({ lane: 'bulk' });
  });

  it('queues the night in order: the nightly lane before the bulk lane, tonight’s rebases first, then the largest', async () => {
    const deps = memoryDeps();
    const ran = (lines: number): Partner['lastRun'] => ({
      runId: 'earlier',
      period: '2026-12',
      status: 'succeeded',
      summary: { lines, sent: 0, accepted: 0, notMapped: 0, unchanged: lines, failed: 0 },
    });
    const fleet: Partner[] = [
      { ...partner('first-night-rebasing', 3), status: 'pending' },
      { ...partner('small', 1), lastRun: ran(10) },
      { ...partner('rebasing-small', 3), lastRun: ran(20) },
      { ...partner('large', 5), lastRun: ran(5_000) },
      { ...partner('rebasing-large', 3), lastRun: ran(800) },
      { ...partner('first-night', 1), status: 'pending' },
    ];
    // Listed in an order that is none of the answers.
    for (const p of fleet) deps.state.partners.set(p.partnerId, p);
    await planNightly(deps, new Date('2026-12-04T02:00:00.000Z'));
    expect(deps.state.sent.map((m) => [m.partnerId, m.lane])).toEqual([
      ['rebasing-large', 'nightly'],
      ['rebasing-small', 'nightly'],
      ['large', 'nightly'],
      ['small', 'nightly'],
      ['first-night-rebasing', 'bulk'],
      ['first-night', 'bulk'],
    ]);
  });

  it('closes the previous month on the 1st for every partner, whatever its close day', async () => {
    const deps = memoryDeps();
    for (const p of [partner('msp-a', 1), partner('msp-b', 5)]) deps.state.partners.set(p.partnerId, p);
    const plan = await planNightly(deps, new Date('2026-12-01T02:00:00.000Z'));
    expect(plan).toMatchObject({ period: '2026-11', asOf: '2026-11-30', closedPeriod: 0 });
    expect(deps.state.sent.map((m) => [m.period, m.asOf])).toEqual([
      ['2026-11', '2026-11-30'],
      ['2026-11', '2026-11-30'],
    ]);
  });

  it('gives a partner that set no close day the spread default', async () => {
    const deps = memoryDeps();
    // Two partners whose default days differ; the tick of the day after the earlier one's close day.
    const ids = Array.from({ length: 50 }, (_, i) => `msp-${i}`);
    const early = ids.find((id) => defaultCloseDay(id) === 1)!;
    const late = ids.find((id) => defaultCloseDay(id) === 5)!;
    for (const id of [early, late]) deps.state.partners.set(id, partner(id));
    await planNightly(deps, new Date('2027-01-03T02:00:00.000Z'));
    const sent = new Map(deps.state.sent.map((m) => [m.partnerId, m.period]));
    expect(sent.get(early)).toBe('2027-01');
    expect(sent.get(late)).toBe('2026-12');
  });
});

describe('planNightly in batches', () => {
  const TICK = new Date('2026-12-04T02:00:00.000Z');
  const fleet = (n: number) => {
    const deps = memoryDeps();
    const ids = Array.from({ length: n }, (_, i) => `msp-${String(i).padStart(5, '0')}`);
    for (const id of ids) deps.state.partners.set(id, partner(id, 1));
    return { deps, ids };
  };

  it('sends 11 partners’ messages in two batch sends, 10 and 1, each after its runs are recorded', async () => {
    const { deps, ids } = fleet(11);
    const batch = deps.queue.sendBatch.bind(deps.queue);
    const unrecorded: string[] = [];
    deps.queue.sendBatch = async (messages) => {
      for (const m of messages) if (!(await deps.runs.get(m.partnerId, m.runId))) unrecorded.push(m.partnerId);
      return batch(messages);
    };
    const plan = await planNightly(deps, TICK);
    expect(plan).toMatchObject({ enqueued: 11, failed: [] });
    expect(deps.state.batches.sort((a, b) => b - a)).toEqual([10, 1]);
    expect(deps.state.sent.map((m) => m.partnerId).sort()).toEqual(ids);
    expect(unrecorded).toEqual([]);
  });

  it('lists in `failed` exactly the partners whose message the queue did not take, or whose run it could not record', async () => {
    const { deps, ids } = fleet(11);
    const unsendable = new Set([ids[2]!, ids[7]!]);
    const unrecordable = ids[4]!;
    const batch = deps.queue.sendBatch.bind(deps.queue);
    deps.queue.sendBatch = async (messages) => {
      const taken = messages.filter((m) => !unsendable.has(m.partnerId));
      await batch(taken);
      return messages.flatMap((m, index) => (unsendable.has(m.partnerId) ? [{ index, error: 'InternalError' }] : []));
    };
    const create = deps.runs.create.bind(deps.runs);
    deps.runs.create = async (run) => {
      if (run.partnerId === unrecordable) throw new Error('ProvisionedThroughputExceeded');
      return create(run);
    };
    const plan = await planNightly(deps, TICK);
    expect(plan.failed.sort((a, b) => a.partnerId.localeCompare(b.partnerId))).toEqual([
      { partnerId: ids[2], error: 'InternalError' },
      { partnerId: ids[4], error: 'ProvisionedThroughputExceeded' },
      { partnerId: ids[7], error: 'InternalError' },
    ]);
    expect(plan.enqueued).toBe(8);
    // The unrecorded run got no message: a message never asks for a run that does not exist.
    expect(deps.state.sent.map((m) => m.partnerId)).not.toContain(unrecordable);
    expect(deps.state.sent).toHaveLength(8);
  });

  it('lists a whole batch in `failed` when its send fails, and the other batch still goes', async () => {
    const { deps, ids } = fleet(11);
    const batch = deps.queue.sendBatch.bind(deps.queue);
    deps.queue.sendBatch = async (messages) => {
      if (messages.length === QUEUE_BATCH_MAX) throw new Error('socket hang up');
      return batch(messages);
    };
    const plan = await planNightly(deps, TICK);
    expect(plan.enqueued).toBe(1);
    // The ten of the failed batch, and only they: with the one sent, every partner once.
    expect(plan.failed).toHaveLength(QUEUE_BATCH_MAX);
    expect([...plan.failed.map((f) => f.partnerId), ...deps.state.sent.map((m) => m.partnerId)].sort()).toEqual(ids);
    expect(new Set(plan.failed.map((f) => f.error))).toEqual(new Set(['socket hang up']));
  });

  it('creates no second run when the same tick is planned twice, and sends each partner’s message again', async () => {
    const { deps, ids } = fleet(11);
    const first = await planNightly(deps, TICK);
    // The worker has already taken one of the runs: a re-plan must not reset it to `queued`.
    await deps.runs.update(ids[0]!, first.runId, { status: 'running' });
    const again = await planNightly(deps, TICK);
    expect(again.runId).toBe(first.runId);
    expect(again).toMatchObject({ enqueued: 11, failed: [] });
    expect(deps.runs.runs.size).toBe(11);
    expect((await deps.runs.get(ids[0]!, first.runId))?.status).toBe('running');
    // As before batching: the message of an existing run is sent again (the run lease keeps it from running twice).
    expect(deps.state.sent).toHaveLength(22);
  });

  it('plans a fleet across several waves once each, in batches of at most 10, a few batches at a time', async () => {
    const { deps, ids } = fleet(1_005);
    let creating = 0;
    let mostCreating = 0;
    const create = deps.runs.create.bind(deps.runs);
    deps.runs.create = async (run) => {
      creating += 1;
      mostCreating = Math.max(mostCreating, creating);
      await new Promise((resolve) => setTimeout(resolve, 1));
      creating -= 1;
      return create(run);
    };
    const plan = await planNightly(deps, TICK);
    expect(plan).toMatchObject({ enqueued: 1_005, failed: [] });
    expect(deps.state.sent.map((m) => m.partnerId).sort()).toEqual(ids);
    expect(Math.max(...deps.state.batches)).toBe(QUEUE_BATCH_MAX);
    expect(deps.state.batches).toHaveLength(101);
    // Parallel, but bounded: never more run puts in flight than the planner's batches in flight hold.
    expect(mostCreating).toBeGreaterThan(QUEUE_BATCH_MAX);
    expect(mostCreating).toBeLessThanOrEqual(PLAN_BATCHES_IN_FLIGHT * QUEUE_BATCH_MAX);
  });
});
