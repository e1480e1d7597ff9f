// Billing-health alerts: what an MSP opted into, the kinds of alert, and the record of each alert sent to
// Gradient's alerting route (which becomes a ticket in the MSP's PSA). The rules that decide them are
// `core/alerts/rules.ts`; README, "Billing-health alerts", says them for a person.
import type { Period } from './rules';

/** What a billing admin must act on before the close day. */
export const ALERT_KINDS = ['unmapped_account', 'refused_service', 'close_day_reminder', 'runs_failing'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * Where a sent alert stands: `sending` (claimed, Gradient's answer not recorded), `sent` (Gradient queued it),
 * `ticketed` (the debug route named its ticket), `failed` (Gradient answered an error that says nothing was
 * queued: tried again on the next run), `uncertain` (no readable answer: it may have been queued, so it is never
 * sent again, rather than open a second ticket).
 */
export const ALERT_STATUSES = ['sending', 'sent', 'ticketed', 'failed', 'uncertain'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** The statuses an alert is sent again from on a later run. */
export const ALERT_RETRY_STATUSES = ['failed'] as const satisfies readonly AlertStatus[];

/** Gradient's alert priorities (CreateAlertingDto): 1 to 4, 1 its default. */
export const MIN_ALERT_PRIORITY = 1;
export const MAX_ALERT_PRIORITY = 4;
export const DEFAULT_ALERT_PRIORITY = 1;
export const ALERT_PRIORITY_RULE = `must be a whole number from ${MIN_ALERT_PRIORITY} to ${MAX_ALERT_PRIORITY}`;
/** The close-day reminder goes on a night at most this many days before the close day. */
export const REMINDER_NIGHTS_BEFORE_CLOSE = 2;

/** A partner's alert setting; absent is off. */
export interface AlertSettings {
  enabled: boolean;
  /** An unmapped account or a refused service is alerted from this many unbilled units (default: any usage). */
  minUnbilledUnits?: number;
  /** The tickets' priority, 1-4 (default DEFAULT_ALERT_PRIORITY). */
  priority?: number;
}

/** One alert sent (or being sent) for a partner and period; `alertId` is derived from what it is about. */
export interface SentAlert {
  partnerId: string;
  period: Period;
  alertId: string;
  kind: AlertKind;
  /** The account or service it is about (absent for the partner-wide kinds). */
  subject?: string;
  /** The account it was posted on (Gradient's route takes one). */
  accountId: string;
  title: string;
  status: AlertStatus;
  /** Requests made for it (posts; the ticket look-ups are not counted). */
  attempts: number;
  messageId?: string;
  ticketId?: string;
  /** Why it failed or is uncertain, or what the debug route said when it named no ticket. */
  detail?: string;
  createdAt: string;
  updatedAt: string;
}

/** Gradient refused the period's alerts (no Alerts module, no board): recorded once, nothing more is tried. */
export interface AlertRefusal {
  partnerId: string;
  period: Period;
  reason: string;
  runId: string;
  at: string;
}

/** Everything stored about a partner's alerts of one period. */
export interface PeriodAlerts {
  alerts: SentAlert[];
  refusal?: AlertRefusal;
}
