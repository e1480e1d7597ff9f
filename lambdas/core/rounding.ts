// Precision and rounding policies (README, "How usage is computed"): 4 decimals first, then the partner's policy.
import type { RoundingPolicy } from './model';

// Past this magnitude a double has no 4th decimal to round (and scaling by 1e4 would exceed 15 digits).
const NO_DECIMALS_LEFT = 1e11;

const noNegativeZero = (x: number): number => (x === 0 ? 0 : x);

/**
 * Rounds to 4 decimal places, half away from zero, without float noise: 10.000000000000002 → 10 and
 * 1.00005 (stored as 1.0000499999…) → 1.0001, because the scaled value is first cut to 15 significant digits.
 */
export const roundTo4 = (x: number): number => {
  // Whole numbers (most counts) are already exact: no string round trip for them.
  if (Number.isInteger(x)) return noNegativeZero(x);
  if (!Number.isFinite(x)) return x;
  const abs = Math.abs(x);
  if (abs >= NO_DECIMALS_LEFT) return x;
  const scaled = Number((abs * 1e4).toPrecision(15));
  const rounded = Math.floor(scaled + 0.5) / 1e4;
  return noNegativeZero(x < 0 ? -rounded : rounded);
};

/**
 * Applies a rounding policy to a value. The value is cut to 4 decimals first so that noise such as
 * 3.0000000001 cannot make `up` answer 4.
 */
export const applyRounding = (value: number, policy: RoundingPolicy): number => {
  const v = roundTo4(value);
  switch (policy) {
    case 'none':
      return v;
    case 'up':
      return noNegativeZero(Math.ceil(v));
    case 'down':
      return noNegativeZero(Math.floor(v));
    case 'nearest': {
      const r = Math.floor(Math.abs(v) + 0.5);
      return noNegativeZero(v < 0 ? -r : r);
    }
    default: {
      const unknown: never = policy;
      throw new Error(`unknown rounding policy: ${String(unknown)}`);
    }
  }
};
