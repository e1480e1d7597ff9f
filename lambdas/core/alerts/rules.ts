// Which billing-health alerts a partner's night calls for (README, "Billing-health alerts"). Pure: a function of
// the run's outcome, the period's unmapped list, the runs before it and what was already sent. Each alert's id is
// derived from what it is about (kind, account or service, period), so a redelivered, continued or repeated run
// finds it already sent and never opens a second ticket.
import {
  ALERT_RETRY_STATUSES,
  type AlertKind,
  DEFAULT_ALERT_PRIORITY,
  type IsoDate,
  type Period,
  REMINDER_NIGHTS_BEFORE_CLOSE,
  type RunStatus,
  type RunSummary,
} from '../model';
import { addDays, dateInPeriod, epochDayOf, periodEnd, periodOf } from '../period';
import { roundTo4 } from '../rounding';
import type { AlertFacts, AlertToSend } from './facts';
import { closeDayReminderText, refusedServiceText, runsFailingText, unmappedAccountText } from './wording';

export type { AlertFacts, AlertToSend, RefusedService, UnbilledAccount } from './facts';

/** The run statuses that count as a night that went wrong. */
const BAD_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['failed', 'partial']);

/**
 * Whether the run can have left unbilled usage to alert about: an unmapped account's lines and a refused service's
 * are settled `not_mapped`, so a run with none has neither (and the period's unmapped list need not be read).
 */
export const mayHaveUnbilled = (summary: Pick<RunSummary, 'notMapped'>): boolean => summary.notMapped > 0;

/** Gradient's `alertId`: ours, unique for the partner, period, kind and subject. */
export const alertIdOf = (partnerId: string, period: Period, kind: AlertKind, subject?: string): string =>
  ['gbs', partnerId, period, kind, ...(subject !== undefined ? [subject] : [])].join(':');

/** The day the partner's period after `period` begins: its close day in the next month. */
export const closeDateOf = (period: Period, closeDay: number): IsoDate =>
  dateInPeriod(periodOf(addDays(periodEnd(period), 1)), closeDay);

/** A night on which the close-day reminder may go: one to REMINDER_NIGHTS_BEFORE_CLOSE days before the close day. */
export function isReminderNight(night: IsoDate, period: Period, closeDay: number): boolean {
  const daysLeft = epochDayOf(closeDateOf(period, closeDay)) - epochDayOf(night);
  return daysLeft >= 1 && daysLeft <= REMINDER_NIGHTS_BEFORE_CLOSE;
}

const RETRY: ReadonlySet<string> = new Set(ALERT_RETRY_STATUSES);

/** The alerts the night calls for that have not been sent (or were refused in a way that allows another try). */
export function alertsToSend(facts: AlertFacts): AlertToSend[] {
  const { settings } = facts;
  if (!settings?.enabled) return [];
  const priority = settings.priority ?? DEFAULT_ALERT_PRIORITY;
  const min = settings.minUnbilledUnits ?? 0;
  // "From min units": with no minimum, any usage at all (a line of 0 units bills nothing either way).
  const enough = (units: number) => (min > 0 ? units >= min : units > 0);
  const id = (kind: AlertKind, subject?: string) => alertIdOf(facts.partnerId, facts.period, kind, subject);

  const accounts = facts.unmappedAccounts
    .map((a) => ({ ...a, total: roundTo4(a.units.reduce((n, u) => n + u.computed, 0)) }))
    .filter((a) => enough(a.total));
  const services = facts.refusedServices.filter((s) => enough(s.units));

  const wanted: AlertToSend[] = [
    ...accounts.map(
      (a): AlertToSend => ({
        alertId: id('unmapped_account', a.accountId),
        kind: 'unmapped_account',
        subject: a.accountId,
        accountId: a.accountId,
        priority,
        ...unmappedAccountText(a, facts.period),
      }),
    ),
  ];
  const home = facts.homeAccountId;
  if (home !== undefined) {
    for (const s of services) {
      wanted.push({
        alertId: id('refused_service', s.serviceKey),
        kind: 'refused_service',
        subject: s.serviceKey,
        accountId: home,
        priority,
        ...(s.gradientServiceId !== undefined && { gradientServiceId: s.gradientServiceId }),
        ...refusedServiceText(s, facts.period),
      });
    }
    const open = accounts.length + services.length;
    if (open > 0 && isReminderNight(facts.night, facts.period, facts.closeDay)) {
      wanted.push({
        alertId: id('close_day_reminder'),
        kind: 'close_day_reminder',
        accountId: home,
        priority,
        ...closeDayReminderText({
          period: facts.period,
          closeDate: closeDateOf(facts.period, facts.closeDay),
          accounts: accounts.map((a) => a.name),
          services: services.map((s) => s.name),
        }),
      });
    }
    const [previous] = facts.earlierRunStatuses;
    if (BAD_RUN_STATUSES.has(facts.runStatus) && previous !== undefined && BAD_RUN_STATUSES.has(previous)) {
      wanted.push({
        alertId: id('runs_failing'),
        kind: 'runs_failing',
        accountId: home,
        priority,
        ...runsFailingText(facts.period, [facts.runStatus, previous]),
      });
    }
  }
  const stored = new Map(facts.sent.map((a) => [a.alertId, a]));
  return wanted.filter((a) => {
    const before = stored.get(a.alertId);
    return before === undefined || RETRY.has(before.status);
  });
}
