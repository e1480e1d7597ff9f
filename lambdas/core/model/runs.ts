// Runs and what they hold while they work: the run record and its queue message, the partner lease, resync
// idempotency claims, the values Gradient holds and the lines it refused.

import type { LineBasis } from './lines';
import type { IsoDate, Period } from './rules';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses a run ends in: nothing changes it after one. */
export const FINISHED_RUN_STATUSES = ['succeeded', 'partial', 'failed'] as const satisfies readonly RunStatus[];
const FINISHED: ReadonlySet<string> = new Set(FINISHED_RUN_STATUSES);
/** The run has ended (its status is final). Takes any string, so clients reading a view can ask too. */
export const isRunFinished = (status: string): boolean => FINISHED.has(status);
export const RUN_TRIGGERS = ['schedule', 'resync'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
/**
 * The lanes of the shared Gradient budget, first to last (`core/calls/lanes.ts` shares it out): `admin`, a manual
 * resync of a period a billing admin waits for (and the console's own calls); `nightly`, the nightly deltas of MSPs
 * already billing; `bulk`, first nights and full resyncs, which take what is left, with a floor.
 */
export const RUN_LANES = ['admin', 'nightly', 'bulk'] as const;
export type RunLane = (typeof RUN_LANES)[number];

/**
 * The lane of a run: a full resync and a first night (nothing accepted from the partner yet) are `bulk`, another
 * resync `admin`, another nightly `nightly`.
 */
export function laneFor(run: { trigger: RunTrigger; full: boolean; firstNight: boolean }): RunLane {
  if (run.full || run.firstNight) return 'bulk';
  return run.trigger === 'resync' ? 'admin' : 'nightly';
}

/** The lane a run was queued in; a run recorded before lanes gets the one its request implies. */
export const laneOf = (run: Pick<SyncRequest, 'lane' | 'trigger' | 'full'>): RunLane =>
  run.lane ?? laneFor({ ...run, firstNight: false });

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
 * What Gradient holds for one line (docs/architecture.md, "How usage is computed"): the value it last accepted and when, whatever period it was
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
  /** Its lane in the shared budget (absent on runs and messages from before lanes: see `laneOf`). */
  lane?: RunLane;
}

/** What the work queue carries: a run's request and, on a continuation message, its number (1 for the first). */
export interface SyncMessage extends SyncRequest {
  continuation?: number;
}

export const emptySummary = (): RunSummary =>
  Object.fromEntries(RUN_SUMMARY_FIELDS.map((field) => [field, 0])) as RunSummary;

export const lineKey = (accountId: string, serviceKey: string): string => `${accountId}#${serviceKey}`;
