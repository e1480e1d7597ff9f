// The records the domain keeps: catalog services, partners, accounts and their Gradient mappings, usage
// snapshots and the lines computed from them.

import type { AlertSettings } from './alerts';
import type { LineWhy } from './lines';
import type { Aggregation, AverageBasis, IsoDate, PartnerStatus, Period, RoundingPolicy } from './rules';
import type { RunStatus, RunSummary } from './runs';

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

/** One MSP. The Partner API key is never part of this record: it lives in Secrets Manager only. */
export interface Partner {
  partnerId: string;
  status: PartnerStatus;
  roundingPolicy: RoundingPolicy;
  /**
   * The day its new period begins on (until then the nightly computes the closed month); absent until the MSP
   * sets one: the spread default of `core/partners/close-day.ts`.
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
  /** Billing-health alerts to the MSP's PSA (off when absent). */
  alerts?: AlertSettings;
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
   * mapped. Values Gradient accepted before it are not held any more (docs/architecture.md, "How usage is computed").
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
