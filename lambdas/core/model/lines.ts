// What one line of one run says: why its value is what it is (reasons and changes), and what Gradient answered.
import type { IsoDate } from './rules';

/**
 * Why a line's value is what it is, against the value Gradient held before the run (`sync/explain.ts`). In order
 * of precedence, the first that applies wins:
 * - `not_mapped`: nothing reaches an invoice — the service is not set up in Gradient, the account is not mapped
 *   to a PSA company, or Gradient answered 404;
 * - `newly_mapped`: Gradient holds no value for the line because the account's mapping began only now — its flag
 *   turned mapped after we had seen it unmapped, or a value accepted under an earlier mapping (or another Gradient
 *   service id) is void;
 * - `new_line`: Gradient never accepted a value for the line;
 * - `verification`: the value equals the one Gradient holds and was sent anyway (the 28-day check or `full`);
 * - `unchanged`: the value equals the one Gradient holds (not sent);
 * - `new_period`: the held value was computed for another period: this is the period's first push;
 * - `fell_to_zero`: the value is 0 and Gradient held more;
 * - `backdated_correction`: a daily value dated on or before the as-of of the push Gradient holds changed;
 * - `usage_changed`: the value moved through days after that as-of only.
 */
export const LINE_REASONS = [
  'new_line',
  'usage_changed',
  'backdated_correction',
  'new_period',
  'fell_to_zero',
  'newly_mapped',
  'verification',
  'unchanged',
  'not_mapped',
] as const;
export type LineReason = (typeof LINE_REASONS)[number];

/** At most one change per day of the period, so never more than 31. */
export const MAX_LINE_CHANGES = 31;

/**
 * What moved a line's value since the previous push: for a state service (`average`, `peak`, `last`) a day whose
 * daily state changed (`from` → `to`); for `sum` a metered day and its quantity. Units are the billed ones (scaled).
 */
export type LineChange = { date: IsoDate; from: number; to: number } | { date: IsoDate; quantity: number };

/** The daily values (state or metered, scaled) a pushed value was computed from: day N at index N − 1. */
export interface LineBasis {
  asOf: IsoDate;
  days: number[];
}

/** A line's explanation before its outcome is known; `lineReceipt` settles `not_mapped` and `verification`. */
export interface LineWhy {
  previous: number | null;
  reason: LineReason;
  changes: LineChange[];
  basis: LineBasis;
}

export const LINE_OUTCOMES = ['accepted', 'not_mapped', 'unchanged', 'failed', 'auth_failed'] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

/** What Gradient answered for one line in one run. */
export interface LineReceipt {
  runId: string;
  accountId: string;
  serviceKey: string;
  computed: number;
  pushed: number;
  outcome: LineOutcome;
  httpStatus?: number;
  /** Short reason for a person, never a secret. */
  detail?: string;
  attempts: number;
  at: string;
  /** The value Gradient held before this run (null: none); absent on receipts written before it was kept. */
  previous?: number | null;
  reason?: LineReason;
  changes?: LineChange[];
}
