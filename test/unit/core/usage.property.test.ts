// Property tests of the usage computation (README, "How usage is computed") against a brute-force oracle that walks the
// period day by day on a calendar built with Date, in exact arithmetic: quantities are decimals with up to
// 6 places, held as BigInt millionths, so the oracle's sums, means, scaling and 4-decimal rounding (half away
// from zero) have no float error at all. The code computes in doubles; it must agree exactly after the
// 4-decimal cut it documents. Quantities stay under 1e6 and scaled values under 1e9, where a double still has
// 15 significant digits to spare for the cut; about 2 % of the lines land exactly on a 4-decimal tie.
import * as fc from 'fast-check';
import { ValidationError } from '../../../lambdas/core/errors';
import {
  AGGREGATIONS,
  type Aggregation,
  AVERAGE_BASES,
  type AverageBasis,
  type ComputedLine,
  type LineUsage,
  ROUNDING_POLICIES,
  type RoundingPolicy,
} from '../../../lambdas/core/model';
import { aggregate, computeLines, type ServiceRule } from '../../../lambdas/core/usage';

const RUNS = { numRuns: 300, seed: 20_261_125 };
const MICRO = 1_000_000n;

// ---------- the oracle ----------

/** Every date of a month, from Date's own calendar (not period.ts). */
const calendar = (year: number, month: number): string[] => {
  const day = new Date(0);
  day.setUTCFullYear(year, month - 1, 1);
  const out: string[] = [];
  while (day.getUTCMonth() === month - 1) {
    out.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
};

/** A decimal as an exact fraction. */
interface Fraction {
  num: bigint;
  den: bigint;
}

/** Rounds a fraction ≥ 0 to whole ten-thousandths, half away from zero (core/rounding.ts). */
const toTenThousandths = ({ num, den }: Fraction): bigint => (2n * num * 10_000n + den) / (2n * den);

/** A scale as an exact fraction: the decimal the test means, whatever double stands for it. */
interface Scale {
  value: number | undefined;
  exact: Fraction;
}

interface Snapshot {
  date: string;
  /** The quantity in millionths. */
  micros: bigint;
}

interface OracleLine {
  accountId: string;
  serviceKey: string;
  carryIn?: bigint;
  snapshots: Snapshot[];
}

/** How one service aggregates in a scenario; no basis is `to_date` (services stored before it existed). */
interface OracleRule {
  aggregation: Aggregation;
  basis?: AverageBasis;
}

/**
 * The raw value of one line, exactly, following the spec's table day by day; a `projected` average also counts
 * every day of the month after `daysSoFar` at the state of the last of them.
 */
const oracleValue = (
  { aggregation, basis }: OracleRule,
  line: OracleLine,
  daysSoFar: string[],
  monthLength: number,
): Fraction => {
  if (aggregation === 'sum') {
    const inRange = line.snapshots.filter((s) => daysSoFar.includes(s.date));
    return { num: inRange.reduce((t, s) => t + s.micros, 0n), den: MICRO };
  }
  let state = line.carryIn ?? 0n; // days before the first snapshot count 0
  const daily = daysSoFar.map((date) => {
    const that = line.snapshots.filter((s) => s.date === date);
    if (that.length > 0) state = that[that.length - 1]!.micros; // the last one of a date wins
    return state;
  });
  if (aggregation === 'average' && basis === 'projected') {
    while (daily.length < monthLength) daily.push(state);
  }
  if (aggregation === 'average') {
    return { num: daily.reduce((t, v) => t + v, 0n), den: MICRO * BigInt(daily.length) };
  }
  if (aggregation === 'peak') {
    let peak = daily[0]!; // BigInts: no Math.max
    for (const v of daily) if (v > peak) peak = v;
    return { num: peak, den: MICRO };
  }
  return { num: daily[daily.length - 1]!, den: MICRO };
};

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** The pushed value in ten-thousandths, from the computed one (≥ 0), per the partner's policy. */
const oraclePushed = (computed: bigint, policy: RoundingPolicy): bigint => {
  switch (policy) {
    case 'none':
      return computed;
    case 'up':
      return -floorDiv(-computed, 10_000n) * 10_000n;
    case 'down':
      return floorDiv(computed, 10_000n) * 10_000n;
    case 'nearest':
      return floorDiv(computed + 5_000n, 10_000n) * 10_000n;
  }
};

interface Scenario {
  year: number;
  month: number;
  asOfDay: number;
  rules: Map<string, OracleRule & { scale: Scale }>;
  lines: OracleLine[];
  rounding: RoundingPolicy;
}

const oracle = (s: Scenario): ComputedLine[] => {
  const month = calendar(s.year, s.month);
  const daysSoFar = month.slice(0, s.asOfDay);
  const out: ComputedLine[] = [];
  for (const line of s.lines) {
    const rule = s.rules.get(line.serviceKey);
    if (!rule) continue;
    const exists = line.carryIn !== undefined || line.snapshots.some((x) => daysSoFar.includes(x.date));
    if (!exists) continue;
    const raw = oracleValue(rule, line, daysSoFar, month.length);
    const computed = toTenThousandths({
      num: raw.num * rule.scale.exact.den,
      den: raw.den * rule.scale.exact.num,
    });
    const pushed = oraclePushed(computed, s.rounding);
    out.push({
      accountId: line.accountId,
      serviceKey: line.serviceKey,
      computed: Number(computed) / 1e4,
      pushed: Number(pushed) / 1e4,
      roundingDelta: Number(pushed - computed) / 1e4,
    });
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => order(a.accountId, b.accountId) || order(a.serviceKey, b.serviceKey));
};

// ---------- what the code is given ----------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const periodOfScenario = (s: Scenario) => `${pad(s.year, 4)}-${pad(s.month)}`;

const toInput = (s: Scenario) => ({
  period: periodOfScenario(s),
  asOf: `${periodOfScenario(s)}-${pad(s.asOfDay)}`,
  services: new Map<string, ServiceRule>(
    [...s.rules].map(([key, r]) => [
      key,
      {
        aggregation: r.aggregation,
        ...(r.basis !== undefined && { averageBasis: r.basis }),
        ...(r.scale.value !== undefined && { unitScale: r.scale.value }),
      },
    ]),
  ),
  lines: s.lines.map(
    (l): LineUsage => ({
      accountId: l.accountId,
      serviceKey: l.serviceKey,
      ...(l.carryIn !== undefined && { carryIn: Number(l.carryIn) / 1e6 }),
      // n / 1e6 is the double nearest the decimal, exactly as parsing "n×10⁻⁶" from JSON would give.
      snapshots: l.snapshots.map((x) => ({ date: x.date, quantity: Number(x.micros) / 1e6 })),
    }),
  ),
  rounding: s.rounding,
});

// ---------- arbitraries ----------

const yearArb = fc.oneof(fc.constantFrom(1900, 2000, 2023, 2024, 2100, 2400), fc.integer({ min: 1600, max: 2400 }));
const monthArb = fc.oneof(fc.constant(2), fc.integer({ min: 1, max: 12 }));

/** Quantities ≥ 0 in millionths: whole and half seats (ties for `nearest`), values on the 5th-decimal tie,
 * and any 6-decimal value. */
const microsArb: fc.Arbitrary<bigint> = fc
  .oneof(
    fc.integer({ min: 0, max: 400 }).map((n) => n * 500_000),
    fc.integer({ min: 0, max: 2_000_000 }).map((n) => n * 50),
    fc.integer({ min: 0, max: 1_000_000_000_000 }),
  )
  .map(BigInt);

const scaleArb: fc.Arbitrary<Scale> = fc.constantFrom<Scale>(
  { value: undefined, exact: { num: 1n, den: 1n } },
  ...[1, 2, 3, 7, 24, 60, 1000, 1024, 3600, 1e6, 1e9].map((n) => ({
    value: n,
    exact: { num: BigInt(n), den: 1n },
  })),
  { value: 0.5, exact: { num: 1n, den: 2n } },
  { value: 2.5, exact: { num: 5n, den: 2n } },
  { value: 0.001, exact: { num: 1n, den: 1000n } },
);

const SERVICE_KEYS = ['avg', 'avg-gb', 'peak', 'last', 'sum', 'sum-k'] as const;
const ACCOUNT_IDS = ['A', 'a', 'acct-1', 'acct-10', 'acct-2', 'b'] as const;

/** Dates a snapshot may carry: any day of the period (after as-of too), the next month's first days and the
 * same month a year apart (a store bug, but computeLines must still ignore them). */
const snapshotDates = (year: number, month: number): string[] => {
  const next = month === 12 ? calendar(year + 1, 1) : calendar(year, month + 1);
  return [
    ...calendar(year, month),
    ...next.slice(0, 3),
    ...calendar(year - 1, month).slice(0, 2),
    ...calendar(year + 1, month).slice(-2),
  ];
};

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({ year: yearArb, month: monthArb }).chain(({ year, month }) => {
  const length = calendar(year, month).length;
  const snapshot = fc.record({ date: fc.constantFrom(...snapshotDates(year, month)), micros: microsArb });
  const line = fc.record(
    {
      accountId: fc.constantFrom(...ACCOUNT_IDS),
      serviceKey: fc.constantFrom(...SERVICE_KEYS, 'unknown-service'),
      carryIn: microsArb,
      snapshots: fc.array(snapshot, { maxLength: 12 }),
    },
    { requiredKeys: ['accountId', 'serviceKey', 'snapshots'] },
  );
  const rule = fc.record({
    aggregation: fc.constantFrom(...AGGREGATIONS),
    basis: fc.constantFrom(...AVERAGE_BASES, undefined),
    scale: scaleArb,
  });
  return fc.record({
    year: fc.constant(year),
    month: fc.constant(month),
    asOfDay: fc.oneof(fc.constant(length), fc.integer({ min: 1, max: length })),
    rules: fc.tuple(...SERVICE_KEYS.map(() => rule)).map((rs) => new Map(rs.map((r, i) => [SERVICE_KEYS[i]!, r]))),
    lines: fc.uniqueArray(line, { maxLength: 8, selector: (l) => `${l.accountId}#${l.serviceKey}` }),
    rounding: fc.constantFrom(...ROUNDING_POLICIES),
  });
});

/** Every service of one aggregation (and, when given, one basis), for the targeted properties below. */
const withRule = (s: Scenario, aggregation: Aggregation, basis?: AverageBasis): Scenario => ({
  ...s,
  rules: new Map([...s.rules].map(([k, r]) => [k, { ...r, aggregation, ...(basis && { basis }) }])),
});

// ---------- properties ----------

describe('computeLines against a day-by-day oracle', () => {
  it('agrees exactly for every aggregation, carry-in, unitScale, rounding policy, month length and as-of date', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(computeLines(toInput(s))).toEqual(oracle(s));
      }),
      RUNS,
    );
  });

  it.each(AGGREGATIONS)('agrees exactly when every service aggregates by %s', (aggregation) => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const one = withRule(s, aggregation);
        expect(computeLines(toInput(one))).toEqual(oracle(one));
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it.each(AVERAGE_BASES)('agrees exactly when every service averages on the %s basis', (basis) => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const one = withRule(s, 'average', basis);
        expect(computeLines(toInput(one))).toEqual(oracle(one));
      }),
      { ...RUNS, numRuns: 150 },
    );
  });

  it('projects the month’s average on its last day: projected and to_date agree there', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const last = { ...s, asOfDay: calendar(s.year, s.month).length };
        expect(computeLines(toInput(withRule(last, 'average', 'projected')))).toEqual(
          computeLines(toInput(withRule(last, 'average', 'to_date'))),
        );
      }),
      { ...RUNS, numRuns: 150 },
    );
  });

  it('keeps a projected average where it was on a day with no snapshot', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const days = calendar(s.year, s.month);
        fc.pre(s.asOfDay < days.length);
        const quietNext = days[s.asOfDay]!; // the day after as-of, with every snapshot of it removed
        const quiet = withRule(
          { ...s, lines: s.lines.map((l) => ({ ...l, snapshots: l.snapshots.filter((x) => x.date !== quietNext) })) },
          'average',
          'projected',
        );
        expect(computeLines(toInput({ ...quiet, asOfDay: s.asOfDay + 1 }))).toEqual(computeLines(toInput(quiet)));
      }),
      { ...RUNS, numRuns: 150 },
    );
  });

  it('ignores snapshots dated after the as-of date: adding some changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(microsArb, { minLength: 1, maxLength: 5 }), (s, extra) => {
        const days = calendar(s.year, s.month);
        const next = s.month === 12 ? calendar(s.year + 1, 1) : calendar(s.year, s.month + 1);
        const later = [...days.slice(s.asOfDay), ...next.slice(0, 2)];
        const noisy: Scenario = {
          ...s,
          lines: s.lines.map((l, i) => ({
            ...l,
            snapshots: [
              ...l.snapshots,
              ...extra.map((micros, j) => ({ date: later[(i + j) % later.length]!, micros })),
            ],
          })),
        };
        expect(computeLines(toInput(noisy))).toEqual(computeLines(toInput(s)));
      }),
      { ...RUNS, numRuns: 150 },
    );
  });

  it('does not depend on the order of the lines it is given', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.lines, { minLength: s.lines.length }))),
        ([s, shuffled]) => {
          expect(computeLines(toInput({ ...s, lines: shuffled }))).toEqual(computeLines(toInput(s)));
        },
      ),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('refuses two inputs for one line, whatever else is in the batch', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const known = s.lines.find((l) => s.rules.has(l.serviceKey) && l.carryIn !== undefined);
        fc.pre(known !== undefined);
        const twice = { ...s, lines: [...s.lines, { ...known!, snapshots: [] }] };
        expect(() => computeLines(toInput(twice))).toThrow(ValidationError);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('takes as-of dates on every day the calendar has and refuses the rest (29 February in leap years only)', () => {
    fc.assert(
      fc.property(yearArb, monthArb, fc.integer({ min: 28, max: 31 }), (year, month, day) => {
        const period = `${pad(year, 4)}-${pad(month)}`;
        const compute = () =>
          computeLines({ period, asOf: `${period}-${pad(day)}`, services: new Map(), lines: [], rounding: 'none' });
        if (day <= calendar(year, month).length) expect(compute()).toEqual([]);
        else expect(compute).toThrow(ValidationError);
      }),
      RUNS,
    );
  });

  it('refuses a unitScale that is not a positive finite number for a line that exists', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, -1, -1e9, Number.NaN, Number.POSITIVE_INFINITY),
        fc.constantFrom(...AGGREGATIONS),
        (unitScale, aggregation) => {
          const input = {
            period: '2024-02',
            asOf: '2024-02-29',
            services: new Map<string, ServiceRule>([['s', { aggregation, unitScale }]]),
            lines: [{ accountId: 'a', serviceKey: 's', carryIn: 1, snapshots: [] }],
            rounding: 'none' as const,
          };
          expect(() => computeLines(input)).toThrow(/unitScale of s must be a positive number/);
        },
      ),
    );
  });
});

describe('aggregate against the oracle, before any rounding', () => {
  // The raw value is a double: peak and last pick one input quantity, so they match exactly; sum and average
  // add up to 31 doubles, so they may differ from the exact value by float noise, bounded here at 1e-12
  // relative (far below the 4-decimal cut the computed value gets).
  it('matches exactly for peak and last, and within float noise for sum and average (either basis)', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom(...AGGREGATIONS),
        fc.constantFrom(...AVERAGE_BASES),
        (s, aggregation, basis) => {
          const input = toInput(s);
          const month = calendar(s.year, s.month);
          const daysSoFar = month.slice(0, s.asOfDay);
          s.lines.forEach((line, i) => {
            const exact = oracleValue({ aggregation, basis }, line, daysSoFar, month.length);
            const expected = Number(exact.num) / Number(exact.den);
            const actual = aggregate(
              aggregation,
              input.lines[i]!.carryIn,
              input.lines[i]!.snapshots,
              input.period,
              input.asOf,
              basis,
            );
            if (aggregation === 'peak' || aggregation === 'last') expect(actual).toBe(expected);
            else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
          });
        },
      ),
      RUNS,
    );
  });

  it('averages a state held all month to itself, whatever the month’s length (February of leap years too)', () => {
    fc.assert(
      fc.property(yearArb, monthArb, microsArb, fc.boolean(), (year, month, micros, asCarryIn) => {
        const days = calendar(year, month);
        const q = Number(micros) / 1e6;
        const period = days[0]!.slice(0, 7);
        const snaps = asCarryIn ? [] : [{ date: days[0]!, quantity: q }];
        const value = aggregate('average', asCarryIn ? q : undefined, snaps, period, days[days.length - 1]!);
        expect(Math.abs(value - q)).toBeLessThanOrEqual(1e-12 * Math.max(1, q));
      }),
      RUNS,
    );
  });

  it('counts the days before the first snapshot as 0 when nothing is carried in', () => {
    fc.assert(
      fc.property(
        yearArb,
        monthArb,
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(30),
        fc.nat(30),
        (year, month, q, startAt, asOfAt) => {
          const days = calendar(year, month);
          const start = startAt % days.length;
          const asOf = Math.max(start, asOfAt % days.length);
          const snaps = [{ date: days[start]!, quantity: q }];
          const period = days[0]!.slice(0, 7);
          // Exact in doubles: q × (held days) is a whole number, divided once.
          expect(aggregate('average', undefined, snaps, period, days[asOf]!)).toBe(
            (q * (asOf - start + 1)) / (asOf + 1),
          );
          expect(aggregate('peak', undefined, snaps, period, days[asOf]!)).toBe(q);
          if (start > 0) expect(aggregate('last', undefined, snaps, period, days[start - 1]!)).toBe(0);
        },
      ),
      RUNS,
    );
  });
});
