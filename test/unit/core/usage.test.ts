import { ValidationError } from '../../../lambdas/core/errors';
import type { LineUsage, RoundingPolicy } from '../../../lambdas/core/model';
import { aggregate, computeLines, type ServiceRule } from '../../../lambdas/core/usage';

const snaps = (...pairs: Array<[string, number]>) => pairs.map(([date, quantity]) => ({ date, quantity }));

const services = new Map<string, ServiceRule>([
  ['seat-avg', { aggregation: 'average' }],
  ['seat-peak', { aggregation: 'peak' }],
  ['seat-last', { aggregation: 'last' }],
  ['api-calls', { aggregation: 'sum' }],
  ['storage-gb', { aggregation: 'average', unitScale: 1e9 }],
]);

const compute = (lines: LineUsage[], asOf: string, rounding: RoundingPolicy = 'none', period = asOf.slice(0, 7)) =>
  computeLines({ period, asOf, services, lines, rounding });

describe('aggregate', () => {
  // April 2026 (30 days), as of the 30th: 10 seats from the 1st, 20 from the 11th, 5 from the 21st.
  const april = snaps(['2026-04-01', 10], ['2026-04-11', 20], ['2026-04-21', 5]);

  it('averages a carried-forward state over every day of the period so far', () => {
    // 10×10 + 10×20 + 10×5 = 350; 350 / 30 days = 11.666…
    expect(aggregate('average', undefined, april, '2026-04', '2026-04-30')).toBeCloseTo(350 / 30, 12);
  });

  it('takes the highest daily value for peak', () => {
    expect(aggregate('peak', undefined, april, '2026-04', '2026-04-30')).toBe(20);
  });

  it('takes the value on the as-of date for last', () => {
    expect(aggregate('last', undefined, april, '2026-04', '2026-04-30')).toBe(5);
    // On the 15th the state set on the 11th still holds.
    expect(aggregate('last', undefined, april, '2026-04', '2026-04-15')).toBe(20);
  });

  it('sums metered amounts without carrying them forward', () => {
    // 10 + 20 + 5 = 35 (not 350: a metered day does not repeat on the following days)
    expect(aggregate('sum', undefined, april, '2026-04', '2026-04-30')).toBe(35);
  });

  it('counts a state carried in from last month from the first day', () => {
    // carry-in 8 on days 1–9 (9 days), 12 on days 10–31 (22 days) in January (31 days):
    // (9×8 + 22×12) / 31 = (72 + 264) / 31 = 336 / 31
    const jan = snaps(['2026-01-10', 12]);
    expect(aggregate('average', 8, jan, '2026-01', '2026-01-31')).toBeCloseTo(336 / 31, 12);
    expect(aggregate('peak', 8, jan, '2026-01', '2026-01-31')).toBe(12);
    expect(aggregate('last', 8, jan, '2026-01', '2026-01-05')).toBe(8);
  });

  it('counts the days before an account’s first snapshot as 0', () => {
    // Starts on the 16th of April with 30 seats: 15 days × 0 + 15 days × 30 = 450; 450 / 30 = 15
    const midMonth = snaps(['2026-04-16', 30]);
    expect(aggregate('average', undefined, midMonth, '2026-04', '2026-04-30')).toBe(15);
    // As of the 20th: 15 × 0 + 5 × 30 = 150; 150 / 20 = 7.5
    expect(aggregate('average', undefined, midMonth, '2026-04', '2026-04-20')).toBe(7.5);
    expect(aggregate('last', undefined, midMonth, '2026-04', '2026-04-10')).toBe(0);
  });

  it('carries a drop to zero forward like any other state', () => {
    // 6 seats on days 1–20, 0 from the 21st, in April: 20 × 6 / 30 = 4
    const dropped = snaps(['2026-04-01', 6], ['2026-04-21', 0]);
    expect(aggregate('average', undefined, dropped, '2026-04', '2026-04-30')).toBe(4);
    expect(aggregate('peak', undefined, dropped, '2026-04', '2026-04-30')).toBe(6);
    expect(aggregate('last', undefined, dropped, '2026-04', '2026-04-30')).toBe(0);
  });

  it('averages over the days up to as-of, not the whole month, in the middle of the month', () => {
    // As of the 15th: 10×10 + 5×20 = 200; 200 / 15 days
    expect(aggregate('average', undefined, april, '2026-04', '2026-04-15')).toBeCloseTo(200 / 15, 12);
    // sum as of the 15th: 10 + 20 = 30 (the 21st is after as-of)
    expect(aggregate('sum', undefined, april, '2026-04', '2026-04-15')).toBe(30);
    // peak as of the 10th never saw 20
    expect(aggregate('peak', undefined, april, '2026-04', '2026-04-10')).toBe(10);
  });

  it.each([
    // 10 units on the first day, 40 from the last day: (n−1)×10 + 40 = 10n + 30; divided by n days
    ['2024-02', '2024-02-29', 29, 320 / 29],
    ['2026-02', '2026-02-28', 28, 310 / 28],
    ['2026-04', '2026-04-30', 30, 330 / 30],
    ['2026-01', '2026-01-31', 31, 340 / 31],
  ])('divides by the length of %s (%s, %i days)', (period, lastDay, _days, expected) => {
    const lines = snaps([`${period}-01`, 10], [lastDay, 40]);
    expect(aggregate('average', undefined, lines, period, lastDay)).toBeCloseTo(expected, 12);
  });

  it('ignores snapshots after as-of and outside the period', () => {
    const noisy = snaps(
      ['2026-03-31', 1000], // previous month: the store passes it as carry-in, never as a snapshot
      ['2026-04-05', 3],
      ['2026-04-25', 999], // after as-of
      ['2026-05-01', 500], // next month
    );
    // As of the 20th: 4 days × 0 + 16 days × 3 = 48; 48 / 20 = 2.4
    expect(aggregate('average', undefined, noisy, '2026-04', '2026-04-20')).toBe(2.4);
    expect(aggregate('peak', undefined, noisy, '2026-04', '2026-04-20')).toBe(3);
    expect(aggregate('sum', undefined, noisy, '2026-04', '2026-04-20')).toBe(3);
  });

  it('lets the last of several snapshots of one date win', () => {
    const dup = snaps(['2026-04-01', 50], ['2026-04-01', 7]);
    expect(aggregate('peak', undefined, dup, '2026-04', '2026-04-30')).toBe(7);
    expect(aggregate('sum', undefined, snaps(['2026-04-01', 2], ['2026-04-02', 3]), '2026-04', '2026-04-30')).toBe(5);
  });

  it('refuses an as-of date outside the period', () => {
    expect(() => aggregate('sum', undefined, [], '2026-04', '2026-05-01')).toThrow(ValidationError);
    expect(() => aggregate('sum', undefined, [], '2026-4', '2026-04-01')).toThrow(ValidationError);
  });

  it('refuses a non-finite quantity instead of pushing NaN', () => {
    expect(() => aggregate('average', undefined, snaps(['2026-04-02', Number.NaN]), '2026-04', '2026-04-30')).toThrow(
      /not a finite number/,
    );
  });
});

describe('the projected average', () => {
  // April 2026 (30 days): 10 seats from the 1st, 20 from the 15th.
  const stepUp = snaps(['2026-04-01', 10], ['2026-04-15', 20]);
  const projected = (lines: typeof stepUp, asOf: string, carryIn?: number, period = asOf.slice(0, 7)) =>
    aggregate('average', carryIn, lines, period, asOf, 'projected');

  it('counts the days after as-of at the as-of state, over the month’s length', () => {
    // As of the 14th: 14 days × 10 + 16 remaining × 10 = 300; 300 / 30 = 10
    expect(projected(stepUp, '2026-04-14')).toBe(10);
    // As of the 15th: 14 × 10 + 1 × 20 + 15 remaining × 20 = 460; 460 / 30 = 15.333…
    expect(projected(stepUp, '2026-04-15')).toBeCloseTo(460 / 30, 12);
  });

  it('moves only when usage moves, while the to-date mean moves every night', () => {
    // to_date: (140 + 40) / 16 = 11.25, (140 + 60) / 17 = 11.7647…, (140 + 80) / 18 = 12.2222…
    const toDate = ['2026-04-16', '2026-04-17', '2026-04-18'].map((d) =>
      aggregate('average', undefined, stepUp, '2026-04', d),
    );
    expect(toDate[0]).toBe(11.25);
    expect(toDate[1]).toBeCloseTo(200 / 17, 12);
    expect(toDate[2]).toBeCloseTo(220 / 18, 12);
    // projected: 460 / 30 on every one of those nights, and on the last day
    for (const day of ['2026-04-16', '2026-04-17', '2026-04-18', '2026-04-29', '2026-04-30']) {
      expect(projected(stepUp, day)).toBeCloseTo(460 / 30, 12);
    }
  });

  it('equals the month’s average on its last day', () => {
    for (const [period, last] of [
      ['2024-02', '2024-02-29'],
      ['2026-02', '2026-02-28'],
      ['2026-04', '2026-04-30'],
      ['2026-01', '2026-01-31'],
    ] as const) {
      const lines = snaps([`${period}-01`, 10], [`${period}-11`, 40]);
      expect(projected(lines, last)).toBe(aggregate('average', undefined, lines, period, last));
    }
  });

  it('divides by the month’s length, February of a leap year too', () => {
    // 4 seats from the 1st, 32 from the 8th, as of the 8th: 7 × 4 + (1 + remaining) × 32
    // Feb 2026 (28 days): 28 + 21 × 32 = 700; 700 / 28 = 25.  Feb 2024 (29 days): 28 + 22 × 32 = 732; 732 / 29
    const feb = (year: string) => snaps([`${year}-02-01`, 4], [`${year}-02-08`, 32]);
    expect(projected(feb('2026'), '2026-02-08')).toBe(25);
    expect(projected(feb('2024'), '2024-02-08')).toBeCloseTo(732 / 29, 12);
  });

  it('projects a carried-in state, an account that starts mid-month and a drop to zero', () => {
    // carry-in 8, nothing since, as of the 5th of January: 8 all month
    expect(projected([], '2026-01-05', 8)).toBe(8);
    // 30 seats from the 16th of April, as of the 20th: 15 × 0 + 15 × 30 = 450; 450 / 30 = 15
    expect(projected(snaps(['2026-04-16', 30]), '2026-04-20')).toBe(15);
    // 6 seats, 0 from the 21st, as of the 21st: 20 × 6 + 10 × 0 = 120; 120 / 30 = 4
    expect(projected(snaps(['2026-04-01', 6], ['2026-04-21', 0]), '2026-04-21')).toBe(4);
  });

  it('applies to average only: peak, last and sum ignore the basis', () => {
    for (const aggregation of ['peak', 'last', 'sum'] as const) {
      expect(aggregate(aggregation, undefined, stepUp, '2026-04', '2026-04-20', 'projected')).toBe(
        aggregate(aggregation, undefined, stepUp, '2026-04', '2026-04-20', 'to_date'),
      );
    }
  });

  it('is chosen per service in computeLines, and a service without a basis keeps to_date', () => {
    const rules = new Map<string, ServiceRule>([
      ['to-date', { aggregation: 'average' }],
      ['projected', { aggregation: 'average', averageBasis: 'projected' }],
    ]);
    const lines: LineUsage[] = ['to-date', 'projected'].map((serviceKey) => ({
      accountId: 'a',
      serviceKey,
      snapshots: stepUp,
    }));
    // As of the 16th: to_date 180 / 16 = 11.25; projected 460 / 30 = 15.3333
    const out = computeLines({ period: '2026-04', asOf: '2026-04-16', services: rules, lines, rounding: 'none' });
    expect(out.map((l) => [l.serviceKey, l.computed])).toEqual([
      ['projected', 15.3333],
      ['to-date', 11.25],
    ]);
  });
});

describe('computeLines', () => {
  it('computes, rounds and orders every existing line', () => {
    const lines: LineUsage[] = [
      { accountId: 'b', serviceKey: 'seat-avg', snapshots: snaps(['2026-04-01', 10], ['2026-04-16', 11]) },
      { accountId: 'a', serviceKey: 'seat-peak', snapshots: snaps(['2026-04-03', 4.2]) },
      { accountId: 'a', serviceKey: 'api-calls', snapshots: snaps(['2026-04-03', 100], ['2026-04-04', 50]) },
    ];
    // b/seat-avg: (15×10 + 15×11) / 30 = 315 / 30 = 10.5 → up 11, delta 0.5
    // a/seat-peak: 4.2 → up 5, delta 0.8
    // a/api-calls: 100 + 50 = 150 → up 150, delta 0
    expect(compute(lines, '2026-04-30', 'up')).toEqual([
      { accountId: 'a', serviceKey: 'api-calls', computed: 150, pushed: 150, roundingDelta: 0 },
      { accountId: 'a', serviceKey: 'seat-peak', computed: 4.2, pushed: 5, roundingDelta: 0.8 },
      { accountId: 'b', serviceKey: 'seat-avg', computed: 10.5, pushed: 11, roundingDelta: 0.5 },
    ]);
  });

  it('keeps 4 decimals and records the rounding delta for each policy', () => {
    // 1 seat on days 1–10, 2 seats on days 11–30 in April: (10 + 40) / 30 = 1.66666… → 1.6667
    const line: LineUsage = {
      accountId: 'a',
      serviceKey: 'seat-avg',
      snapshots: snaps(['2026-04-01', 1], ['2026-04-11', 2]),
    };
    const one = (policy: RoundingPolicy) => compute([line], '2026-04-30', policy)[0];
    expect(one('none')).toMatchObject({ computed: 1.6667, pushed: 1.6667, roundingDelta: 0 });
    expect(one('up')).toMatchObject({ computed: 1.6667, pushed: 2, roundingDelta: 0.3333 });
    expect(one('nearest')).toMatchObject({ computed: 1.6667, pushed: 2, roundingDelta: 0.3333 });
    expect(one('down')).toMatchObject({ computed: 1.6667, pushed: 1, roundingDelta: -0.6667 });
  });

  it('keeps float noise out of the computed value', () => {
    // 0.1 + 0.2 = 0.30000000000000004 in doubles; 0.3 after the 4-decimal cut, and `up` stays 1
    const line: LineUsage = {
      accountId: 'a',
      serviceKey: 'api-calls',
      snapshots: snaps(['2026-04-01', 0.1], ['2026-04-02', 0.2]),
    };
    expect(compute([line], '2026-04-30', 'up')[0]).toEqual({
      accountId: 'a',
      serviceKey: 'api-calls',
      computed: 0.3,
      pushed: 1,
      roundingDelta: 0.7,
    });
  });

  it('converts bytes to GB with unitScale', () => {
    // 1.5e9 bytes all month → 1.5 GB; nearest (half away from zero) → 2
    const line: LineUsage = {
      accountId: 'a',
      serviceKey: 'storage-gb',
      carryIn: 1_500_000_000,
      snapshots: [],
    };
    expect(compute([line], '2026-04-30', 'nearest')[0]).toMatchObject({ computed: 1.5, pushed: 2, roundingDelta: 0.5 });
    // 0 bytes on days 1–15, 3e9 on days 16–30: 15 × 3e9 / 30 = 1.5e9 → 1.5 GB
    const fresh: LineUsage = { accountId: 'b', serviceKey: 'storage-gb', snapshots: snaps(['2026-04-16', 3e9]) };
    expect(compute([fresh], '2026-04-30')[0]?.computed).toBe(1.5);
  });

  it('keeps a sum line used last month but not this month as a 0 line', () => {
    // The store sets carryIn for it (it had data before the period); sum ignores carry-in.
    const line: LineUsage = { accountId: 'a', serviceKey: 'api-calls', carryIn: 900, snapshots: [] };
    expect(compute([line], '2026-04-10')).toEqual([
      { accountId: 'a', serviceKey: 'api-calls', computed: 0, pushed: 0, roundingDelta: 0 },
    ]);
  });

  it('pushes a line whose usage dropped to zero as 0', () => {
    const line: LineUsage = {
      accountId: 'a',
      serviceKey: 'seat-last',
      carryIn: 5,
      snapshots: snaps(['2026-04-02', 0]),
    };
    expect(compute([line], '2026-04-30', 'up')).toEqual([
      { accountId: 'a', serviceKey: 'seat-last', computed: 0, pushed: 0, roundingDelta: 0 },
    ]);
  });

  it('omits lines with no carry-in and no snapshot up to as-of, and lines of unknown services', () => {
    const lines: LineUsage[] = [
      // only a snapshot after as-of: the line does not exist yet on the 10th
      { accountId: 'a', serviceKey: 'seat-avg', snapshots: snaps(['2026-04-20', 3]) },
      { accountId: 'a', serviceKey: 'retired-sku', carryIn: 4, snapshots: snaps(['2026-04-02', 1]) },
      { accountId: 'a', serviceKey: 'seat-last', snapshots: snaps(['2026-04-10', 2]) },
    ];
    expect(compute(lines, '2026-04-10').map((l) => l.serviceKey)).toEqual(['seat-last']);
  });

  it('orders by accountId then serviceKey deterministically', () => {
    const keys: Array<[string, string]> = [
      ['b', 'seat-last'],
      ['a', 'seat-peak'],
      ['B', 'seat-last'],
      ['a', 'api-calls'],
    ];
    const lines = keys.map(([accountId, serviceKey]) => ({ accountId, serviceKey, carryIn: 1, snapshots: [] }));
    expect(compute(lines, '2026-04-30').map((l) => `${l.accountId}/${l.serviceKey}`)).toEqual([
      'B/seat-last',
      'a/api-calls',
      'a/seat-peak',
      'b/seat-last',
    ]);
  });

  it('refuses the same line twice', () => {
    const line: LineUsage = { accountId: 'a', serviceKey: 'seat-last', carryIn: 1, snapshots: [] };
    expect(() => compute([line, { ...line }], '2026-04-30')).toThrow(/more than once/);
  });

  it('refuses a unitScale that is not a positive number', () => {
    const bad = new Map<string, ServiceRule>([['x', { aggregation: 'sum', unitScale: 0 }]]);
    const lines: LineUsage[] = [{ accountId: 'a', serviceKey: 'x', snapshots: snaps(['2026-04-01', 1]) }];
    expect(() =>
      computeLines({ period: '2026-04', asOf: '2026-04-30', services: bad, lines, rounding: 'none' }),
    ).toThrow(/unitScale/);
  });
});
