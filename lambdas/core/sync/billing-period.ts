// Which period a partner's nightly computes (README, "How usage is computed"): a partner's new period begins on its close day, and
// until then the nightly keeps computing the closed month as of its last day, so Gradient keeps that month's final
// values while the MSP invoices from them. Which day a partner closes on is a partner setting (partners/close-day.ts). Pure.
import { ValidationError } from '../errors';
import { CLOSE_DAY_RULE, type IsoDate, isValidCloseDay, type Period } from '../model';
import { dayOfMonth, periodEnd, periodOf, previousPeriod } from '../period';

export interface BillingTarget {
  period: Period;
  asOf: IsoDate;
}

/**
 * What a run computing as of `day` (the nightly's last complete day) computes for a partner closing on
 * `closeDay`: the period of `day` as of `day` from the close day on; before it, the previous period as of its
 * last day. Close day 1 is the calendar: the 1st already belongs to the new period.
 */
export function billingTarget(day: IsoDate, closeDay: number): BillingTarget {
  if (!isValidCloseDay(closeDay)) throw new ValidationError(`close day ${closeDay} ${CLOSE_DAY_RULE}`);
  if (dayOfMonth(day) >= closeDay) return { period: periodOf(day), asOf: day };
  const closed = previousPeriod(periodOf(day));
  return { period: closed, asOf: periodEnd(closed) };
}
