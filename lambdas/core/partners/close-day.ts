// A partner's close day: the day of the month its new billing period begins. One it set, or a stable default
// that spreads the month-start rebase over several nights. Pure.
import type { Partner } from '../model';
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
