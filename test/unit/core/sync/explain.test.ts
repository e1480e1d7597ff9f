// Reason codes and changes of a line, worked by hand from small snapshot series.
import type { ComputedLine, HeldValue, LineUsage } from '../../../../lambdas/core/model';
import { changesBetween, dailyValues, explainLine, settledReason } from '../../../../lambdas/core/sync/explain';
import type { ServiceRule } from '../../../../lambdas/core/usage';

const average: ServiceRule = { aggregation: 'average' };
const sum: ServiceRule = { aggregation: 'sum' };
const mapped = { isMapped: true, mappedSince: '2026-01-01T00:00:00.000Z' };

const usage = (snapshots: Array<[string, number]>, carryIn?: number): LineUsage => ({
  accountId: 'acme',
  serviceKey: 'seats',
  ...(carryIn !== undefined && { carryIn }),
  snapshots: snapshots.map(([date, quantity]) => ({ date, quantity })),
});
const line = (pushed: number): ComputedLine => ({
  accountId: 'acme',
  serviceKey: 'seats',
  computed: pushed,
  pushed,
  roundingDelta: 0,
});
const held = (value: number, asOf: string, days: number[], extra: Partial<HeldValue> = {}): HeldValue => ({
  partnerId: 'p',
  accountId: 'acme',
  serviceKey: 'seats',
  value,
  period: asOf.slice(0, 7),
  runId: 'run-1',
  acceptedAt: `${asOf}T02:00:00.000Z`,
  serviceId: 'svc-1',
  mappedSince: mapped.mappedSince,
  basis: { asOf, days },
  ...extra,
});

const explain = (
  rule: ServiceRule,
  u: LineUsage,
  asOf: string,
  pushed: number,
  before: HeldValue | undefined,
  // null: the account is not in Gradient / the service is not set up.
  account: { isMapped?: boolean; mappedSince?: string; mappedFromUnmapped?: boolean } | null = mapped,
  serviceId: string | null = 'svc-1',
) =>
  explainLine({
    line: line(pushed),
    rule,
    usage: u,
    period: asOf.slice(0, 7),
    asOf,
    held: before,
    serviceId: serviceId ?? undefined,
    account: account ?? undefined,
  });

describe('dailyValues', () => {
  it('carries the state forward from the carry-in and scales it', () => {
    const u = usage([['2026-03-03', 20e9]], 10e9);
    expect(dailyValues({ aggregation: 'peak', unitScale: 1e9 }, u, '2026-03-04')).toEqual([10, 10, 20, 20]);
  });
  it('gives a metered day its quantity and a day without one 0', () => {
    expect(
      dailyValues(
        sum,
        usage([
          ['2026-03-01', 2],
          ['2026-03-03', 5],
        ]),
        '2026-03-03',
      ),
    ).toEqual([2, 0, 5]);
  });
});

describe('changesBetween', () => {
  it('lists corrected days up to the old as-of, then state changes after it', () => {
    // before (as of the 3rd): 10 10 10; now: day 2 corrected to 12, day 5 changes to 15.
    expect(changesBetween(false, '2026-03', [10, 12, 12, 12, 15], [10, 10, 10], 0)).toEqual([
      { date: '2026-03-02', from: 10, to: 12 },
      { date: '2026-03-03', from: 10, to: 12 },
      { date: '2026-03-05', from: 12, to: 15 },
    ]);
  });
  it('compares day 1 with the carry-in when there is no basis', () => {
    expect(changesBetween(false, '2026-03', [7, 7], [], 5)).toEqual([{ date: '2026-03-01', from: 5, to: 7 }]);
    expect(changesBetween(false, '2026-03', [5, 5], [], 5)).toEqual([]);
  });
  it('lists metered days for sum: new days with usage, and corrected old days', () => {
    expect(changesBetween(true, '2026-03', [1, 4, 0, 3], [1, 2], 0)).toEqual([
      { date: '2026-03-02', quantity: 4 },
      { date: '2026-03-04', quantity: 3 },
    ]);
  });
  it('never lists more than 31 entries', () => {
    const now = Array.from({ length: 31 }, (_, i) => i + 1);
    expect(changesBetween(true, '2026-03', now, [], 0)).toHaveLength(31);
  });
});

describe('explainLine reasons', () => {
  const u = usage([
    ['2026-03-01', 10],
    ['2026-03-02', 10],
  ]);

  it('new_line: Gradient never held a value', () => {
    const why = explain(average, u, '2026-03-02', 10, undefined);
    expect(why).toMatchObject({ previous: null, reason: 'new_line' });
    expect(why.changes).toEqual([{ date: '2026-03-01', from: 0, to: 10 }]);
    expect(why.basis).toEqual({ asOf: '2026-03-02', days: [10, 10] });
  });

  it('newly_mapped: the MSP mapped an account we had seen unmapped', () => {
    const why = explain(average, u, '2026-03-02', 10, undefined, { ...mapped, mappedFromUnmapped: true });
    expect(why).toMatchObject({ previous: null, reason: 'newly_mapped' });
  });

  it('newly_mapped: the value held under an earlier mapping is void', () => {
    const old = held(10, '2026-03-01', [10], { mappedSince: '2025-01-01T00:00:00.000Z' });
    expect(explain(average, u, '2026-03-02', 10, old)).toMatchObject({ previous: null, reason: 'newly_mapped' });
  });

  it('unchanged: the same value is held; its changes are none', () => {
    const why = explain(average, u, '2026-03-02', 10, held(10, '2026-03-01', [10]));
    expect(why).toEqual({ previous: 10, reason: 'unchanged', changes: [], basis: why.basis });
  });

  it('unchanged: usage that moved under the rounding (a peak that fell back) lists no changes', () => {
    const fell = usage([
      ['2026-03-01', 10],
      ['2026-03-02', 7],
    ]);
    const why = explain({ aggregation: 'peak' }, fell, '2026-03-02', 10, held(10, '2026-03-01', [10]));
    expect(why).toMatchObject({ previous: 10, reason: 'unchanged', changes: [] });
    // The same usage sent for another value does list the day it moved.
    expect(explain({ aggregation: 'peak' }, fell, '2026-03-02', 10, held(9, '2026-03-01', [9])).changes).toEqual([
      { date: '2026-03-01', from: 9, to: 10 },
      { date: '2026-03-02', from: 10, to: 7 },
    ]);
  });

  it('usage_changed: a day after the held as-of moved the average', () => {
    // as of the 2nd 10 seats (average 10); the 3rd has 13: average (10+10+13)/3 = 11.
    const now = usage([
      ['2026-03-01', 10],
      ['2026-03-03', 13],
    ]);
    const why = explain(average, now, '2026-03-03', 11, held(10, '2026-03-02', [10, 10]));
    expect(why).toMatchObject({ previous: 10, reason: 'usage_changed' });
    expect(why.changes).toEqual([{ date: '2026-03-03', from: 10, to: 13 }]);
  });

  it('backdated_correction: a day on or before the held as-of changed', () => {
    // pushed 10 as of the 2nd; the 2nd is corrected to 14: average (10+14)/2 = 12.
    const now = usage([
      ['2026-03-01', 10],
      ['2026-03-02', 14],
    ]);
    const why = explain(average, now, '2026-03-02', 12, held(10, '2026-03-02', [10, 10]));
    expect(why).toMatchObject({ previous: 10, reason: 'backdated_correction' });
    expect(why.changes).toEqual([{ date: '2026-03-02', from: 10, to: 14 }]);
  });

  it('new_period: the held value was for the month before', () => {
    const now = usage([['2026-04-01', 12]], 10);
    const why = explain(average, now, '2026-04-01', 12, held(10, '2026-03-31', Array(31).fill(10)));
    expect(why).toMatchObject({ previous: 10, reason: 'new_period' });
    expect(why.changes).toEqual([{ date: '2026-04-01', from: 10, to: 12 }]);
  });

  it('fell_to_zero: a last-state line dropped to 0', () => {
    const now = usage([
      ['2026-03-01', 10],
      ['2026-03-02', 0],
    ]);
    const why = explain({ aggregation: 'last' }, now, '2026-03-02', 0, held(10, '2026-03-01', [10]));
    expect(why).toMatchObject({ previous: 10, reason: 'fell_to_zero' });
    expect(why.changes).toEqual([{ date: '2026-03-02', from: 10, to: 0 }]);
  });

  it('backdated sum: a metered day already pushed was re-reported', () => {
    const now = usage([
      ['2026-03-01', 3],
      ['2026-03-02', 4],
    ]);
    const why = explain(sum, now, '2026-03-02', 7, held(5, '2026-03-02', [3, 2]));
    expect(why).toMatchObject({ previous: 5, reason: 'backdated_correction' });
    expect(why.changes).toEqual([{ date: '2026-03-02', quantity: 4 }]);
  });

  it('not_mapped: an unmapped account, a missing account or a service not set up', () => {
    expect(explain(average, u, '2026-03-02', 10, undefined, { isMapped: false }).reason).toBe('not_mapped');
    expect(explain(average, u, '2026-03-02', 10, undefined, null).reason).toBe('not_mapped');
    expect(explain(average, u, '2026-03-02', 10, undefined, mapped, null).reason).toBe('not_mapped');
  });
});

describe('settledReason', () => {
  const why = explain(average, usage([['2026-03-01', 10]]), '2026-03-01', 10, held(10, '2026-03-01', [10]));
  it('verification: an unchanged value re-sent by the 28-day check or a full resync', () => {
    expect(settledReason(why, 'accepted', 'verification')).toBe('verification');
    expect(settledReason(why, 'accepted', 'full resync')).toBe('verification');
    expect(settledReason(why, 'unchanged', undefined)).toBe('unchanged');
  });
  it('not_mapped: Gradient answered 404 for a line we thought mapped', () => {
    expect(settledReason({ ...why, reason: 'new_line' }, 'not_mapped', 'Gradient: not mapped')).toBe('not_mapped');
  });
});
