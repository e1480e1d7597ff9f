// The events put on the vendor's EventBridge bus, for its own people (docs/events.md has a sample of each): one
// source, a detail type per kind, and each detail's shape. The builders are `core/events/build.ts`.
import type { AlertKind, AlertStatus } from './alerts';
import type { PartnerStatus, Period } from './rules';
import type { RunStatus, RunSummary, RunTrigger } from './runs';

/** The `source` of every event this service puts on the bus. */
export const EVENT_SOURCE = 'gradient-billing-sync';

export const EVENT_DETAIL_TYPES = [
  'Run Finished',
  'Partner Status Changed',
  'Run Dead-Lettered',
  'Billing Alert Raised',
] as const;
export type EventDetailType = (typeof EVENT_DETAIL_TYPES)[number];

export interface RunFinishedDetail {
  partnerId: string;
  runId: string;
  period: Period;
  asOf: string;
  trigger: RunTrigger;
  status: RunStatus;
  summary: RunSummary;
  error?: { code: string; message: string };
  finishedAt: string;
}

export interface PartnerStatusChangedDetail {
  partnerId: string;
  organizationName?: string;
  from?: PartnerStatus;
  to: PartnerStatus;
  reason?: string;
  at: string;
}

export interface RunDeadLetteredDetail {
  partnerId: string;
  runId: string;
  period: Period;
  receiveCount: number;
  reason: string;
  at: string;
}

export interface BillingAlertRaisedDetail {
  partnerId: string;
  period: Period;
  alertId: string;
  kind: AlertKind;
  subject?: string;
  title: string;
  /** What became of the ticket at once: `sent`, or why not (`failed`, `uncertain`, or refused by Gradient). */
  status: AlertStatus | 'refused';
  at: string;
}

interface DetailOf {
  'Run Finished': RunFinishedDetail;
  'Partner Status Changed': PartnerStatusChangedDetail;
  'Run Dead-Lettered': RunDeadLetteredDetail;
  'Billing Alert Raised': BillingAlertRaisedDetail;
}

/** One event as the service puts it: the bus adds id, account, region and time. */
export type VendorEvent = {
  [T in EventDetailType]: { source: typeof EVENT_SOURCE; detailType: T; detail: DetailOf[T] };
}[EventDetailType];
