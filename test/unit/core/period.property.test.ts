// Property tests of periods and ISO dates (period.ts) against JavaScript's own proleptic Gregorian calendar
// (Date in UTC), over the years 0000–9999 the module supports.
import * as fc from 'fast-check';
import { ValidationError } from '../../../lambdas/core/errors';
import { PERIOD_PATTERN } from '../../../lambdas/core/model';
import {
  addDays,
  asOfFor,
  dayOfMonth,
  daysInPeriod,
  isValidIsoDate,
  isValidPeriod,
  periodEnd,
  periodOf,
  periodStart,
  previousPeriod,
  todayUtc,
} from '../../../lambdas/core/period';

const RUNS = { numRuns: 300, seed: 1 };
const DAY_MS = 86_400_000;

// ---------- the reference: Date ----------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch ms of a calendar date, or undefined when Date would roll it over into another day. */
const utcMs = (year: number, month: number, day: number): number | undefined => {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  const real = t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
  return real ? t.getTime() : undefined;
};

/** Days in a month: day 0 of the next month is this month's last day. */
const monthLength = (year: number, month: number): number => {
  const t = new Date(0);
  t.setUTCFullYear(year, month, 0);
  return t.getUTCDate();
};

const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (date: string) => utcMs(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))!;
const FIRST_MS = utcMs(0, 1, 1)!;
const LAST_MS = utcMs(9999, 12, 31)!;

// ---------- arbitraries ----------

const yearArb = fc.oneof(fc.constantFrom(0, 1, 1600, 1900, 2000, 2024, 2100, 9999), fc.integer({ min: 0, max: 9999 }));
const monthArb = fc.oneof(fc.constant(2), fc.integer({ min: 1, max: 12 }));
const periodArb = fc.tuple(yearArb, monthArb).map(([y, m]) => `${pad(y, 4)}-${pad(m)}`);
/** Any real date of 0000–9999, with the range's edges, month ends and 29 February over-represented. */
const dateArb = fc.oneof(
  fc.constantFrom('0000-01-01', '0000-03-01', '9999-06-15', '9999-12-31'),
  fc.integer({ min: FIRST_MS / DAY_MS, max: LAST_MS / DAY_MS }).map((d) => isoOf(d * DAY_MS)),
  fc.tuple(yearArb, monthArb, fc.integer({ min: 27, max: 31 })).map(([y, m, d]) => {
    return isoOf(utcMs(y, m, Math.min(d, monthLength(y, m)))!);
  }),
);
/** Strings shaped like a date whose parts may be out of range (month 00 or 13, day 00 or 32, 30 February). */
const dateLikeArb = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);

// ---------- properties ----------

describe('date and period validity', () => {
  it('accepts exactly the YYYY-MM-DD strings that name a real day of the calendar', () => {
    fc.assert(
      fc.property(fc.oneof(dateLikeArb, dateArb, fc.string()), (s) => {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
        const real = m !== null && utcMs(Number(m[1]), Number(m[2]), Number(m[3])) !== undefined;
        expect(isValidIsoDate(s)).toBe(real);
      }),
      RUNS,
    );
  });

  it('accepts exactly the YYYY-MM strings with a month 01–12, as the model’s PERIOD_PATTERN does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          dateLikeArb.map((d) => d.slice(0, 7)),
          fc.string({ maxLength: 8 }),
        ),
        (s) => {
          const m = /^(\d{4})-(\d{2})$/.exec(s);
          const month = m ? Number(m[2]) : 0;
          expect(isValidPeriod(s)).toBe(month >= 1 && month <= 12);
          expect(isValidPeriod(s)).toBe(PERIOD_PATTERN.test(s));
        },
      ),
      RUNS,
    );
  });

  it('refuses anything that is not a valid date or period with a ValidationError, in every function', () => {
    fc.assert(
      fc.property(fc.oneof(dateLikeArb, fc.string()), (s: string) => {
        const valid: boolean = isValidIsoDate(s); // a plain boolean: the type guard would narrow s to never
        fc.pre(!valid);
        for (const f of [periodOf, dayOfMonth, (d: string) => addDays(d, 1)])
          expect(() => f(s)).toThrow(ValidationError);
        const p = s.slice(0, 7);
        if (!isValidPeriod(p)) {
          for (const f of [
            daysInPeriod,
            periodStart,
            periodEnd,
            previousPeriod,
            (x: string) => asOfFor(x, '2026-01-01'),
          ]) {
            expect(() => f(p)).toThrow(ValidationError);
          }
        }
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});

describe('addDays', () => {
  it('moves by n calendar days, as Date does, and refuses to leave the years 0000–9999', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.oneof(fc.integer({ min: -800, max: 800 }), fc.integer({ min: -3_700_000, max: 3_700_000 })),
        (d, n) => {
          const ms = msOf(d) + n * DAY_MS;
          if (ms >= FIRST_MS && ms <= LAST_MS) expect(addDays(d, n)).toBe(isoOf(ms));
          else expect(() => addDays(d, n)).toThrow(ValidationError);
        },
      ),
      RUNS,
    );
  });

  it('round-trips (+n then −n) and composes (a then b is a + b)', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 }), (d, a, b) => {
        fc.pre(
          msOf(d) + Math.min(0, a, a + b) * DAY_MS >= FIRST_MS && msOf(d) + Math.max(0, a, a + b) * DAY_MS <= LAST_MS,
        );
        expect(addDays(addDays(d, a), -a)).toBe(d);
        expect(addDays(addDays(d, a), b)).toBe(addDays(d, a + b));
      }),
      RUNS,
    );
  });

  it('refuses a fractional or non-finite number of days', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.double().filter((n) => !Number.isInteger(n)),
        (d, n) => {
          expect(() => addDays(d, n)).toThrow(ValidationError);
        },
      ),
      RUNS,
    );
  });
});

describe('periods', () => {
  it('has as many days as Date’s month, 29 in February of leap years; its end is the day before the next start', () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        const [y, m] = [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
        const length = monthLength(y, m);
        expect(daysInPeriod(p)).toBe(length);
        if (m === 2) expect(length).toBe((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28);
        expect(periodStart(p)).toBe(`${p}-01`);
        expect(periodEnd(p)).toBe(`${p}-${pad(length)}`);
        expect(isValidIsoDate(periodEnd(p))).toBe(true);
        if (p !== '9999-12') expect(periodOf(addDays(periodEnd(p), 1))).not.toBe(p);
      }),
      RUNS,
    );
  });

  it('steps back one month as Date does, and undoes a step forward', () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        fc.pre(p !== '0000-01'); // see the report: previousPeriod('0000-01') answers '00-1-12'
        const [y, m] = [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
        expect(previousPeriod(p)).toBe(isoOf(utcMs(y, m - 1, 1) ?? utcMs(y - 1, 12, 1)!).slice(0, 7));
        expect(periodEnd(previousPeriod(p))).toBe(addDays(periodStart(p), -1));
        if (p !== '9999-12') expect(previousPeriod(periodOf(addDays(periodEnd(p), 1)))).toBe(p);
      }),
      RUNS,
    );
  });

  it('puts every date in the period named by its first 7 characters, at its day of the month', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const p = periodOf(d);
        expect(p).toBe(d.slice(0, 7));
        expect(dayOfMonth(d)).toBe(new Date(msOf(d)).getUTCDate());
        expect(addDays(periodStart(p), dayOfMonth(d) - 1)).toBe(d);
        expect(periodStart(p) <= d && d <= periodEnd(p)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('todayUtc and asOfFor', () => {
  it('reads the UTC calendar date of any instant of 0000–9999, as toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_MS, max: LAST_MS + DAY_MS - 1 }), (ms) => {
        expect(todayUtc(new Date(ms))).toBe(new Date(ms).toISOString().slice(0, 10));
      }),
      RUNS,
    );
  });

  it('computes a running period as of today and a past one as of its last day, and refuses a future one', () => {
    fc.assert(
      fc.property(periodArb, dateArb, (p, today) => {
        const current = today.slice(0, 7);
        if (p > current) expect(() => asOfFor(p, today)).toThrow(ValidationError);
        else expect(asOfFor(p, today)).toBe(p === current ? today : periodEnd(p));
      }),
      RUNS,
    );
  });
});
