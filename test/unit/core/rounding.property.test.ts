// Property tests of the 4-decimal cut and the partner rounding policies (README, "How usage is computed"). The cut is checked
// against exact decimal rounding (BigInt) for the decimal a double stands for; the policies by their defining
// inequalities, on any double.
import * as fc from 'fast-check';
import { ROUNDING_POLICIES } from '../../../lambdas/core/model';
import { applyRounding, roundTo4 } from '../../../lambdas/core/rounding';
import { computeLines } from '../../../lambdas/core/usage';

const RUNS = { numRuns: 300, seed: 4 };
/** Where the code stops rounding: a double that large has no 4th decimal left (rounding.ts). */
const NO_DECIMALS_LEFT = 1e11;

/** A decimal n × 10^-places with at most 15 significant digits (what a double holds faithfully), below 1e11. */
interface Decimal {
  n: bigint;
  places: number;
}

const decimalArb: fc.Arbitrary<Decimal> = fc.integer({ min: 0, max: 10 }).chain((places) => {
  const below = BigInt(NO_DECIMALS_LEFT) * 10n ** BigInt(places) - 1n;
  const max = below < 999_999_999_999_999n ? below : 999_999_999_999_999n;
  const any = fc.bigInt({ min: -max, max });
  if (places < 5) return fc.record({ n: any, places: fc.constant(places) });
  // Ties: the 5th decimal is a 5 and nothing follows it, e.g. 1.00005 (which a double stores as 1.0000499…).
  const unit = 10n ** BigInt(places - 5);
  const tie = fc.bigInt({ min: -(max / unit / 10n), max: max / unit / 10n }).map((m) => (m * 10n + 5n) * unit);
  return fc.record({ n: fc.oneof(any, tie), places: fc.constant(places) });
});

const toDouble = ({ n, places }: Decimal): number => Number(n) / 10 ** places;

/** The decimal rounded to 4 places, half away from zero, exactly. */
const exactTo4 = ({ n, places }: Decimal): number => {
  if (places <= 4) return Number(n * 10n ** BigInt(4 - places)) / 1e4;
  const unit = 10n ** BigInt(places - 4);
  const abs = n < 0n ? -n : n;
  const k = (2n * abs + unit) / (2n * unit);
  return Number(n < 0n ? -k : k) / 1e4; // a BigInt has no -0
};

/** Any double roundTo4 rounds (finite, below 1e11), tiny and huge ones included. */
const roundableArb = fc
  .double({ min: -NO_DECIMALS_LEFT, max: NO_DECIMALS_LEFT, noNaN: true, noDefaultInfinity: true })
  .filter((x) => Math.abs(x) < NO_DECIMALS_LEFT);
const policyArb = fc.constantFrom(...ROUNDING_POLICIES);

describe('roundTo4', () => {
  it('rounds the decimal a double stands for to 4 places, half away from zero, without float noise', () => {
    fc.assert(
      fc.property(decimalArb, (d) => {
        expect(roundTo4(toDouble(d))).toBe(exactTo4(d));
      }),
      RUNS,
    );
  });

  it('moves a value by at most half a ten-thousandth (plus the double’s own spacing)', () => {
    fc.assert(
      fc.property(roundableArb, (x) => {
        expect(Math.abs(roundTo4(x) - x)).toBeLessThanOrEqual(0.00005 + Math.abs(x) * Number.EPSILON * 4);
      }),
      RUNS,
    );
  });

  it('is idempotent, odd and never answers -0', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: -0.001, max: 0.001 })), (x) => {
        const r = roundTo4(x);
        expect(roundTo4(r)).toBe(r);
        if (!Number.isNaN(x)) expect(roundTo4(-x) === -r).toBe(true);
        expect(Object.is(r, -0)).toBe(false);
      }),
      RUNS,
    );
  });

  it('leaves values of 1e11 and more, infinities and NaN as they are', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: NO_DECIMALS_LEFT, noNaN: true }),
          fc.double({ max: -NO_DECIMALS_LEFT, noNaN: true }),
          fc.constant(Number.NaN),
        ),
        (x) => {
          expect(roundTo4(x)).toBe(x);
        },
      ),
      RUNS,
    );
  });
});

describe('applyRounding', () => {
  it('keeps the 4-decimal value for none', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(applyRounding(x, 'none')).toBe(roundTo4(x));
      }),
      RUNS,
    );
  });

  it('gives the smallest whole number ≥ the 4-decimal value for up, the largest ≤ it for down', () => {
    fc.assert(
      fc.property(roundableArb, (x) => {
        const v = roundTo4(x);
        const up = applyRounding(x, 'up');
        const down = applyRounding(x, 'down');
        expect(Number.isInteger(up) && Number.isInteger(down)).toBe(true);
        expect(up).toBeGreaterThanOrEqual(v);
        expect(up - 1).toBeLessThan(v);
        expect(down).toBeLessThanOrEqual(v);
        expect(down + 1).toBeGreaterThan(v);
        // Mirror images of each other.
        expect(applyRounding(-x, 'up') === -down).toBe(true);
      }),
      RUNS,
    );
  });

  it('gives the nearest whole number for nearest, halves away from zero, between down and up', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          roundableArb,
          fc.integer({ min: -1e6, max: 1e6 }).map((n) => n + 0.5),
        ),
        (x) => {
          const v = roundTo4(x);
          const nearest = applyRounding(x, 'nearest');
          expect(Number.isInteger(nearest)).toBe(true);
          expect(Math.abs(nearest - v)).toBeLessThanOrEqual(0.5);
          if (Math.abs(nearest - v) === 0.5) expect(Math.abs(nearest)).toBeGreaterThan(Math.abs(v));
          expect(nearest).toBeGreaterThanOrEqual(applyRounding(x, 'down'));
          expect(nearest).toBeLessThanOrEqual(applyRounding(x, 'up'));
        },
      ),
      RUNS,
    );
  });

  it('cuts to 4 decimals first: float noise next to a whole number never moves it to the next one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.double({ min: -0.00004, max: 0.00004, noNaN: true }),
        policyArb,
        (n, noise, policy) => {
          expect(applyRounding(n + noise, policy)).toBe(n === 0 ? 0 : n);
        },
      ),
      RUNS,
    );
  });

  it('never answers -0, and leaves a whole number as it is under every policy', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer({ min: -99_999, max: 99_999 }).map((n) => n / 1e5),
        ),
        fc.integer({ min: -1e12, max: 1e12 }),
        policyArb,
        (x, whole, policy) => {
          expect(Object.is(applyRounding(x, policy), -0)).toBe(false);
          expect(applyRounding(whole, policy) === whole).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('the rounding delta of a computed line', () => {
  it('is pushed − computed, to 4 decimals: ≥ 0 for up, ≤ 0 for down, within ½ for nearest, 0 for none', () => {
    fc.assert(
      fc.property(decimalArb, policyArb, (d, policy) => {
        const quantity = Math.abs(toDouble(d));
        const [line] = computeLines({
          period: '2024-02',
          asOf: '2024-02-29',
          services: new Map([['s', { aggregation: 'last' }]]),
          lines: [{ accountId: 'a', serviceKey: 's', snapshots: [{ date: '2024-02-01', quantity }] }],
          rounding: policy,
        });
        expect(line!.computed).toBe(roundTo4(quantity));
        expect(line!.pushed).toBe(applyRounding(quantity, policy));
        expect(line!.roundingDelta).toBe(roundTo4(line!.pushed - line!.computed));
        expect(Math.abs(line!.computed + line!.roundingDelta - line!.pushed)).toBeLessThanOrEqual(
          0.00005 + line!.pushed * Number.EPSILON * 4,
        );
        const bound = { none: [0, 0], up: [0, 1], down: [-1, 0], nearest: [-0.5, 0.5] }[policy];
        expect(line!.roundingDelta).toBeGreaterThanOrEqual(bound[0]!);
        expect(line!.roundingDelta).toBeLessThanOrEqual(bound[1]!);
      }),
      RUNS,
    );
  });
});
