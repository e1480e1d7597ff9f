// Which period a partner's nightly computes (architecture §3): a partner's new period begins on its close day, and
// until then the nightly keeps computing the closed month as of its last day, so Gradient keeps that month's final
// values while the MSP invoices from them. Close days spread the month-start rebase over several nights. Pure.
import { ValidationError } from '../errors';
import { CLOSE_DAY_RULE, type IsoDate, isValidCloseDay, type Partner, type Period } from '../model';
import { dayOfMonth, periodEnd, periodOf, previousPeriod } from '../period';
import { hash32 } from '../stable-hash';

/**
 * A partner that set no close day gets one of days 1…DEFAULT_CLOSE_DAY_SPREAD by a stable hash of its id, so
 * about a seventh of the partners rebase on each of the month's first seven nights. Why seven, from the simulated
 * quarter (`npm run bench:calendar`): with five the busiest night at design scale took over 6 hours of Gradient
 * time (README, "How usage is computed").
 */
export const DEFAULT_CLOSE_DAY_SPREAD = 7;

/** The close day of a partner that set none: the same day every month, for as long as it sets none. */
export const defaultCloseDay = (partnerId: string): number => 1 + (hash32(partnerId) % DEFAULT_CLOSE_DAY_SPREAD);

/** The partner's close day: the one it set, or the spread default. */
export const closeDayOf = (partner: Pick<Partner, 'partnerId' | 'closeDay'>): number =>
  partner.closeDay ?? defaultCloseDay(partner.partnerId);

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
