// The domain vocabulary shared by core, adapters and handlers (architecture §2). Plain data only: every
// vocabulary is a const array here, and the types, the zod schemas (stored items, queue messages, the API) and
// the OpenAPI document are built from it.

/**
 * Ids of partners, accounts, services and runs. One pattern valid everywhere an id goes: DynamoDB keys (no '#',
 * the key separator), Secrets Manager names `<prefix><partnerId>` (no ':'; names allow letters, digits and
 * `/_+=.@-`), Gradient account ids and URL path segments (only unreserved characters, so nothing to escape).
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_ID_LENGTH = 128;
export const ID_RULE = 'must be 1-128 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';
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

/** How a service's snapshots turn into one value for a billing period (architecture §3). */
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

/** A calendar month in UTC, `YYYY-MM`. */
export type Period = string;
/** A UTC calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** One billable SKU of the vendor. `gradientServiceId` is Gradient's id once the service exists there. */
export interface CatalogService {
  serviceKey: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  aggregation: Aggregation;
  /** The computed value is divided by this (e.g. 1e9 for bytes → GB). Defaults to 1. */
  unitScale?: number;
  /** Only for `aggregation: average`; absent on services stored before it existed (STORED_AVERAGE_BASIS). */
  averageBasis?: AverageBasis;
  gradientServiceId?: string;
  updatedAt: string;
}

export const PARTNER_STATUSES = ['pending', 'connected', 'auth_failed', 'disconnected'] as const;
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

/** One MSP. The Partner API key is never part of this record: it lives in Secrets Manager only. */
export interface Partner {
  partnerId: string;
  status: PartnerStatus;
  roundingPolicy: RoundingPolicy;
  /**
   * The day its new period begins on (until then the nightly computes the closed month); absent until the MSP
   * sets one: the spread default of `core/sync/billing-period.ts`.
   */
  closeDay?: number;
  organizationId?: string;
  organizationName?: string;
  connectedAt?: string;
  updatedAt: string;
  /** Why the partner is not syncing, for a person (e.g. the key was rejected on a given date). */
  statusReason?: string;
  lastRun?: RunRef;
  /** When a run last had a value accepted by Gradient (kept across runs that had none). */
  lastAcceptedAt?: string;
  /** Accounts Gradient reported unmapped at the last account reconciliation (absent: not reconciled yet). */
  unmappedAccounts?: number;
}

export interface RunRef {
  runId: string;
  period: Period;
  status: RunStatus;
  finishedAt?: string;
  summary: RunSummary;
}

/** A managed company of a partner, as the vendor's platform knows it. */
export interface Account {
  partnerId: string;
  accountId: string;
  name: string;
  description?: string;
  active: boolean;
  updatedAt: string;
}

/** What we know of an account on Gradient's side. */
export interface AccountMapping {
  partnerId: string;
  accountId: string;
  /** The name Gradient holds for the account (to detect renames). */
  gradientName: string;
  /** Mapped to a PSA company in Synthesize; absent when Gradient's account list does not say (older API shape). */
  isMapped?: boolean;
  /** The current mapping began when the flag turned mapped after we had seen it unmapped: the MSP mapped it. */
  mappedFromUnmapped?: boolean;
  /**
   * When the account's current mapping in Gradient began: we created the account there, or its flag turned
   * mapped. Values Gradient accepted before it are not held any more (architecture §3, "newly mapped").
   */
  mappedSince?: string;
  syncedAt: string;
}

/** Which Gradient service a catalog service is for this partner. */
export interface ServiceMapping {
  partnerId: string;
  serviceKey: string;
  gradientServiceId: string;
  syncedAt: string;
}

export interface UsageSnapshot {
  partnerId: string;
  accountId: string;
  serviceKey: string;
  date: IsoDate;
  quantity: number;
}

/**
 * Everything needed to compute one line of one period: the state carried in from before the period
 * (the last snapshot of the latest earlier month that has one) and the snapshots dated inside the period.
 */
export interface LineUsage {
  accountId: string;
  serviceKey: string;
  carryIn?: number;
  snapshots: Array<{ date: IsoDate; quantity: number }>;
}

/** One (account, service) value for a period, before and after rounding. */
export interface ComputedLine {
  accountId: string;
  serviceKey: string;
  /** The aggregated, scaled value rounded to 4 decimals. */
  computed: number;
  /** What is pushed to Gradient after the partner's rounding policy. */
  pushed: number;
  /** pushed − computed. */
  roundingDelta: number;
  /** Why the value is what it is against what Gradient held (`sync/explain.ts`); absent outside a sync. */
  why?: LineWhy;
}

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

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ['schedule', 'resync'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** The counters of a run, in the order views and reports show them. */
export const RUN_SUMMARY_FIELDS = ['lines', 'sent', 'accepted', 'notMapped', 'unchanged', 'failed'] as const;
export type RunSummary = Record<(typeof RUN_SUMMARY_FIELDS)[number], number>;

/** A run is the record of one sync request: what was asked, plus how it went. */
export interface Run extends SyncRequest {
  status: RunStatus;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Deliveries that started work on the run: the first, its continuations, and redeliveries (which resume it). */
  deliveries: number;
  /** How many times a delivery out of time handed the run over to a fresh one (a continuation message). */
  continuations: number;
  /** While `running`: until when the current attempt holds the run. */
  leaseUntil?: string;
  summary: RunSummary;
  /** Why a run failed as a whole, e.g. `auth_failed`, `partner_not_connected`. */
  error?: { code: string; message: string };
}

/** Who may push for a partner right now: one run at a time, until `until` (a crashed holder's hold runs out). */
export interface PartnerLease {
  runId: string;
  until: string;
}

/** How long a key is remembered after its first use. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A resync `Idempotency-Key` of one partner: the request it came with and the run it answered, until expiry. */
export interface ResyncClaim {
  key: string;
  request: { period?: Period; full: boolean };
  answer: { runId: string; period: Period; asOf: IsoDate; full: boolean };
  expiresAt: string;
}

/**
 * What Gradient holds for one line (architecture §3): the value it last accepted and when, whatever period it was
 * pushed for — Gradient keeps one count per account and service, with no period. The basis of the diff. It is
 * void when the line's mapping changed since: another Gradient service id, or the account's mapping began again.
 */
export interface HeldValue {
  partnerId: string;
  accountId: string;
  serviceKey: string;
  value: number;
  /** The period the value was computed for. */
  period: Period;
  runId: string;
  acceptedAt: string;
  /** The Gradient service id the value was sent to (absent on values migrated from before it was kept). */
  serviceId?: string;
  /** The account's `mappedSince` when the value was accepted (absent while the account has none). */
  mappedSince?: string;
  /** The daily values the value was computed from, as of its run (absent on values accepted before it was kept). */
  basis?: LineBasis;
}

/**
 * Gradient refused a line's count with 404 (not mapped): what was sent and under which mapping, so the line is not
 * sent again until something that could change the answer changed (`sync/refusals.ts`).
 */
export interface Refusal {
  partnerId: string;
  accountId: string;
  serviceKey: string;
  /** The pushed value Gradient refused. */
  value: number;
  /** The Gradient service id it was sent to. */
  serviceId: string;
  /** The account's `mappedSince` then (absent while the account had none). */
  mappedSince?: string;
  refusedAt: string;
}

/** The one message type of the work queue, sent by the nightly planner and by a manual resync alike. */
export interface SyncRequest {
  runId: string;
  partnerId: string;
  period: Period;
  /**
   * The date usage is computed as of: the nightly uses yesterday (before the partner's close day, the closed
   * period's last day), a resync today or a past period's last day.
   */
  asOf: IsoDate;
  /** Send every line, even those equal to the value Gradient holds. */
  full: boolean;
  trigger: RunTrigger;
}

/** What the work queue carries: a run's request and, on a continuation message, its number (1 for the first). */
export interface SyncMessage extends SyncRequest {
  continuation?: number;
}

export const emptySummary = (): RunSummary =>
  Object.fromEntries(RUN_SUMMARY_FIELDS.map((field) => [field, 0])) as RunSummary;

export const lineKey = (accountId: string, serviceKey: string): string => `${accountId}#${serviceKey}`;

/** One line of a closed period as computed as of its last day (`statements/`). */
export interface ClosingLine {
  accountId: string;
  serviceKey: string;
  computed: number;
  pushed: number;
  roundingDelta: number;
}

/** A later change to a closed period's usage: the closing value, the one computed now and when it was first seen. */
export interface StatementAdjustment {
  accountId: string;
  serviceKey: string;
  closedValue: number;
  currentValue: number;
  at: string;
}

/** What a period closed on: its lines as of its last day, computed after that day ended. */
export interface ClosedStatement {
  partnerId: string;
  period: Period;
  asOf: IsoDate;
  closedAt: string;
  lines: ClosingLine[];
  adjustments: StatementAdjustment[];
}
