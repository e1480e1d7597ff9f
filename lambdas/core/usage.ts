// Usage computation per line for a billing period as of a date (docs/architecture.md, "How usage is computed").
// Hot path: no Date objects, no allocation per snapshot; dates become day-of-month numbers by reading two characters.
import { ValidationError } from './errors';
import {
  type Aggregation,
  type AverageBasis,
  type ComputedLine,
  type IsoDate,
  type LineUsage,
  type Period,
  type RoundingPolicy,
  STORED_AVERAGE_BASIS,
} from './model';
import { dayOfMonth, daysInPeriod, isValidPeriod, periodOf } from './period';
import { applyRounding, roundTo4 } from './rounding';

export interface ServiceRule {
  aggregation: Aggregation;
  /** The aggregated value is divided by this (bytes → GB: 1e9). Defaults to 1. */
  unitScale?: number;
  /** For `average` only: the days so far, or the month projected at the as-of state. Defaults to `to_date`. */
  averageBasis?: AverageBasis;
}

export interface ComputeLinesInput {
  period: Period;
  asOf: IsoDate;
  services: ReadonlyMap<string, ServiceRule>;
  lines: readonly LineUsage[];
  rounding: RoundingPolicy;
}

type Snapshots = ReadonlyArray<{ readonly date: IsoDate; readonly quantity: number }>;

const CHAR_0 = 48;
const CHAR_DASH = 45;

// Reused across calls (computation is synchronous): one slot per day of the longest month.
const dayValue = new Float64Array(31);
const daySet = new Uint8Array(31);

/** Number of days from the period's first day to `asOf` inclusive; throws when `asOf` is outside the period. */
const daysToAsOf = (period: Period, asOf: IsoDate): number => {
  if (!isValidPeriod(period)) throw new ValidationError(`not a valid period (YYYY-MM): ${String(period)}`);
  if (periodOf(asOf) !== period) throw new ValidationError(`asOf ${asOf} is not inside period ${period}`);
  return dayOfMonth(asOf);
};

/** Day of month (1…31) of a snapshot dated inside `period`, or 0 when it is not (or is malformed). */
const dayInPeriod = (date: string, period: Period): number => {
  if (date.length !== 10 || date.charCodeAt(7) !== CHAR_DASH || !date.startsWith(period)) return 0;
  const tens = date.charCodeAt(8) - CHAR_0;
  const units = date.charCodeAt(9) - CHAR_0;
  if (tens < 0 || tens > 9 || units < 0 || units > 9) return 0;
  return tens * 10 + units;
};

const assertFinite = (x: number, what: string): void => {
  // x - x is NaN for NaN and ±Infinity: one cheap check in the hot loop.
  if (x - x !== 0) throw new ValidationError(`${what} is not a finite number: ${x}`);
};

/** Which days of the period a line is aggregated over: 1…`days`, and the period's length for `projected`. */
interface DaySpan {
  period: Period;
  days: number;
  monthDays: number;
}

const spanOf = (period: Period, asOf: IsoDate): DaySpan => {
  const days = daysToAsOf(period, asOf);
  return { period, days, monthDays: daysInPeriod(period) };
};

/**
 * Fills `dayValue[0…days-1]` with the quantity each day counts with, unscaled: for `sum` the day's metered total
 * (0 when nothing was metered), for a state service the state in force (a stored day replaces it; before the
 * first, the carry-in, 0 when absent). Returns how many snapshots fell inside days 1…`days`. The one
 * day-by-day rule: the computation, the explanations and the read-back all go through it.
 */
const fillDays = (
  aggregation: Aggregation,
  carryIn: number | undefined,
  snapshots: Snapshots,
  { period, days }: DaySpan,
): number => {
  const metered = aggregation === 'sum';
  let matched = 0;
  daySet.fill(0, 0, days);
  if (metered) dayValue.fill(0, 0, days);
  for (let i = 0; i < snapshots.length; i++) {
    const s = snapshots[i]!;
    const day = dayInPeriod(s.date, period);
    if (day < 1 || day > days) continue;
    assertFinite(s.quantity, `quantity on ${s.date}`);
    // Metered quantities add up; for a state, a later entry for the same date overwrites, as the store does.
    dayValue[day - 1] = metered ? dayValue[day - 1]! + s.quantity : s.quantity;
    daySet[day - 1] = 1;
    matched++;
  }
  if (metered) return matched; // metered per day: nothing carries forward, so carry-in is irrelevant
  if (carryIn !== undefined) assertFinite(carryIn, 'carry-in');
  let current = carryIn ?? 0;
  for (let d = 0; d < days; d++) {
    if (daySet[d] === 1) current = dayValue[d]!;
    else dayValue[d] = current;
  }
  return matched;
};

/**
 * Aggregates one line over days 1…`days` of `period`. Returns the raw value and how many snapshots fell
 * inside that range (a line with none and no carry-in does not exist).
 */
const aggregateDays = (
  aggregation: Aggregation,
  basis: AverageBasis,
  carryIn: number | undefined,
  snapshots: Snapshots,
  span: DaySpan,
): { value: number; matched: number } => {
  const { days, monthDays } = span;
  const matched = fillDays(aggregation, carryIn, snapshots, span);
  let total = 0;
  let peak = Number.NEGATIVE_INFINITY;
  for (let d = 0; d < days; d++) {
    const value = dayValue[d]!;
    total += value;
    if (value > peak) peak = value;
  }
  const current = dayValue[days - 1]!;
  switch (aggregation) {
    case 'sum':
      return { value: total, matched };
    case 'average':
      // `projected`: the days after as-of hold the as-of state, over the whole month (to_date on its last day).
      return basis === 'projected'
        ? { value: (total + (monthDays - days) * current) / monthDays, matched }
        : { value: total / days, matched };
    case 'peak':
      return { value: peak, matched };
    case 'last':
      return { value: current, matched };
    default: {
      const unknown: never = aggregation;
      throw new ValidationError(`unknown aggregation: ${String(unknown)}`);
    }
  }
};

/**
 * The quantity each day from the period's first to `asOf` counts with, unscaled (index 0 is day 1): the state in
 * force for `average`, `peak` and `last` (the carry-in, 0 when absent, until the first stored day), the day's
 * metered total for `sum` (0 when none).
 */
export const dailyStates = (
  aggregation: Aggregation,
  carryIn: number | undefined,
  snapshots: Snapshots,
  period: Period,
  asOf: IsoDate,
): number[] => {
  const span = spanOf(period, asOf);
  fillDays(aggregation, carryIn, snapshots, span);
  return Array.from(dayValue.subarray(0, span.days));
};

/**
 * The raw (unscaled, unrounded) value of one line for `period` as of `asOf`. States (`average`, `peak`,
 * `last`) carry forward day by day starting from `carryIn` (0 when absent); `sum` adds the snapshots dated
 * from the period's first day to `asOf`. Snapshots outside that range are ignored. An `average` on the
 * `projected` basis counts the days after `asOf` at the state on `asOf` and divides by the month's length.
 */
export const aggregate = (
  aggregation: Aggregation,
  carryIn: number | undefined,
  snapshots: Snapshots,
  period: Period,
  asOf: IsoDate,
  averageBasis: AverageBasis = STORED_AVERAGE_BASIS,
): number => aggregateDays(aggregation, averageBasis, carryIn, snapshots, spanOf(period, asOf)).value;

const byLine = (a: ComputedLine, b: ComputedLine): number => {
  if (a.accountId !== b.accountId) return a.accountId < b.accountId ? -1 : 1;
  if (a.serviceKey !== b.serviceKey) return a.serviceKey < b.serviceKey ? -1 : 1;
  return 0;
};

/**
 * Computes every existing line of a period: scaled, cut to 4 decimals (`computed`), then rounded by the
 * partner's policy (`pushed`). Lines of services not in `services`, and lines with neither a carry-in nor a
 * snapshot up to `asOf`, are omitted. Sorted by accountId, then serviceKey (code-unit order).
 */
export const computeLines = (input: ComputeLinesInput): ComputedLine[] => {
  const { period, asOf, services, lines, rounding } = input;
  const span = spanOf(period, asOf);
  const out: ComputedLine[] = [];
  for (const line of lines) {
    const rule = services.get(line.serviceKey);
    if (rule === undefined) continue;
    const basis = rule.averageBasis ?? STORED_AVERAGE_BASIS;
    const { value, matched } = aggregateDays(rule.aggregation, basis, line.carryIn, line.snapshots, span);
    if (matched === 0 && line.carryIn === undefined) continue;
    const scale = rule.unitScale ?? 1;
    if (!(scale > 0) || !Number.isFinite(scale)) {
      throw new ValidationError(`unitScale of ${line.serviceKey} must be a positive number, got ${scale}`);
    }
    const computed = roundTo4(value / scale);
    const pushed = applyRounding(computed, rounding);
    out.push({
      accountId: line.accountId,
      serviceKey: line.serviceKey,
      computed,
      pushed,
      roundingDelta: roundTo4(pushed - computed),
    });
  }
  out.sort(byLine);
  for (let i = 1; i < out.length; i++) {
    // Two inputs for one line would push two competing values for it.
    if (byLine(out[i - 1]!, out[i]!) === 0) {
      throw new ValidationError(`line ${out[i]!.accountId}#${out[i]!.serviceKey} appears more than once`);
    }
  }
  return out;
};
