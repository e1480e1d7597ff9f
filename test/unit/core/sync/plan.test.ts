import type { Partner } from '../../../../lambdas/core/model';
import { defaultCloseDay } from '../../../../lambdas/core/sync/billing-period';
import { planNightly } from '../../../../lambdas/core/sync/plan';
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
    expect(deps.state.sent.map(({ partnerId, period, asOf, full }) => ({ partnerId, period, asOf, full }))).toEqual([
      { partnerId: 'msp-a', period: '2026-12', asOf: '2026-12-03', full: false },
      { partnerId: 'msp-b', period: '2026-12', asOf: '2026-12-03', full: false },
      { partnerId: 'msp-c', period: '2026-11', asOf: '2026-11-30', full: false },
      { partnerId: 'msp-d', period: '2026-11', asOf: '2026-11-30', full: false },
    ]);
    const run = await deps.runs.get('msp-c', plan.runId);
    expect(run).toMatchObject({ status: 'queued', period: '2026-11', asOf: '2026-11-30' });
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
