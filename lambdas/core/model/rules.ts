// The domain's rules and vocabularies as const arrays: id, number, period and date patterns, aggregations,
// rounding policies, partner statuses, connection failures, close days. Zod forms live in shared/vocabulary.ts.
/**
 * Ids of partners, accounts, services and runs. One pattern valid everywhere an id goes: DynamoDB keys (no '#',
 * the key separator), Secrets Manager names `<prefix><partnerId>` (no ':'; names allow letters, digits and
 * `/_+=.@-`), Gradient account ids and URL path segments (only unreserved characters, so nothing to escape).
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_ID_LENGTH = 128;
export const ID_RULE = 'must be 1-128 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';
/** The pattern's body without its anchors, to embed in a path pattern or an HTML `pattern` attribute. */
export const ID_PATTERN_BODY = ID_PATTERN.source.slice(1, -1);
export const isValidId = (s: unknown): s is string => typeof s === 'string' && ID_PATTERN.test(s);
/**
 * Bounds of the numbers the vendor sends, so that each one and everything computed from it stays storable: DynamoDB
 * keeps 38 digits between 1e-130 and 1e125, and the SDK refuses any number above `Number.MAX_SAFE_INTEGER` (1e308,
 * 2^53+1 and 1e20 fail in the SDK, 1e-320 and 5e-324 in DynamoDB as an underflow).
 * - A quantity is 0 or between 0.000001 and 1e14, with at most 6 decimals (usage is computed to 4): a month's
 *   `sum` of 31 of the largest is 3.1e15, still a safe integer; a number prints in at most 17 digits (of 38).
 * - A unitScale divides a finer reported unit into the billed one (bytes → GB 1e9, seconds → hours 3600): between
 *   1 and 1e15 (bytes → PB), at most 6 decimals; at least 1, so a computed value is never above the raw aggregate.
 */
export const NUMBER_DECIMALS = 6;
export const MAX_QUANTITY = 1e14;
export const MIN_UNIT_SCALE = 1;
export const MAX_UNIT_SCALE = 1e15;
const hasAtMostDecimals = (x: number, decimals: number): boolean => Number(x.toFixed(decimals)) === x;
const inRange = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max && hasAtMostDecimals(x, NUMBER_DECIMALS);
export const isValidQuantity = (x: unknown): x is number => inRange(x, 0, MAX_QUANTITY);
export const isValidUnitScale = (x: unknown): x is number => inRange(x, MIN_UNIT_SCALE, MAX_UNIT_SCALE);
const sci = (x: number): string => x.toExponential().replace('e+', 'e');
export const QUANTITY_RULE = `must be a number from 0 to ${sci(MAX_QUANTITY)} with at most ${NUMBER_DECIMALS} decimals`;
export const UNIT_SCALE_RULE = `must be a number from ${MIN_UNIT_SCALE} to ${sci(MAX_UNIT_SCALE)} with at most ${NUMBER_DECIMALS} decimals`;

/** A billing period, `YYYY-MM`. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A calendar date, `YYYY-MM-DD` (whether it is a real date is `period.ts`'s `isValidIsoDate`). */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** The earliest usage date accepted, and so the earliest period a sync can compute. */
export const MIN_USAGE_DATE = '2000-01-01';

/** How a service's snapshots turn into one value for a billing period (README, "How usage is computed"). */
/**
 * Whose requests share one Gradient rate budget: `vendor`, every partner's together (the safe reading of Gradient's
 * "100 requests a second"), or `partner`, one budget per partner key.
 */
export const RATE_SCOPES = ['vendor', 'partner'] as const;
export type RateScope = (typeof RATE_SCOPES)[number];

export const AGGREGATIONS = ['average', 'peak', 'last', 'sum'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/**
 * How an `average` service's value is taken before the month ends: `to_date`, the mean of the days so far, or
 * `projected`, the month's mean if today's state holds to its end (the same number on the month's last day).
 */
export const AVERAGE_BASES = ['to_date', 'projected'] as const;
export type AverageBasis = (typeof AVERAGE_BASES)[number];
/** The basis of an `average` service stored before the basis existed: the rule it was billed on then. */
export const STORED_AVERAGE_BASIS: AverageBasis = 'to_date';
/** The basis a new `average` service gets when the vendor names none (README, "How usage is computed"). */
export const NEW_SERVICE_AVERAGE_BASIS: AverageBasis = 'projected';

/** How a computed value becomes the pushed value; integer-only PSAs (Autotask) need whole numbers. */
export const ROUNDING_POLICIES = ['none', 'up', 'nearest', 'down'] as const;
export type RoundingPolicy = (typeof ROUNDING_POLICIES)[number];
/** A partner's rounding until it chooses one. */
export const DEFAULT_ROUNDING_POLICY: RoundingPolicy = 'none';

/** A calendar month in UTC, `YYYY-MM`. */
export type Period = string;
/** A UTC calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/**
 * A partner's status. `not_connected` is never stored: it is how the reads show a partner the vendor registered
 * accounts for and that never saved a key (no partner record yet).
 */
export const PARTNER_STATUSES = ['not_connected', 'pending', 'connected', 'auth_failed', 'disconnected'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** Why a connection test or save did not succeed, for the console to act on. */
export const CONNECTION_FAILURES = ['no_key', 'key_rejected', 'gradient_unavailable', 'gradient_rate_limited'] as const;
export type ConnectionFailure = (typeof CONNECTION_FAILURES)[number];

/** A partner's close day: the day of the month its new billing period begins on; every month has days 1-28. */
export const MIN_CLOSE_DAY = 1;
export const MAX_CLOSE_DAY = 28;
export const CLOSE_DAY_RULE = `must be a whole number from ${MIN_CLOSE_DAY} to ${MAX_CLOSE_DAY}`;
export const isValidCloseDay = (x: unknown): x is number =>
  Number.isInteger(x) && (x as number) >= MIN_CLOSE_DAY && (x as number) <= MAX_CLOSE_DAY;
