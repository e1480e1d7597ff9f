// Billing periods (calendar months, UTC) and ISO dates. Pure string and integer arithmetic: no time zone
// can leak in, and no Date is needed except to read "today" from a clock.
import { ValidationError } from './errors';
import { ISO_DATE_PATTERN, type IsoDate, PERIOD_PATTERN, type Period } from './model';

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const monthLength = (year: number, month: number): number => {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

export const isValidPeriod = (s: unknown): s is Period => typeof s === 'string' && PERIOD_PATTERN.test(s);

export const isValidIsoDate = (s: unknown): s is IsoDate => {
  if (typeof s !== 'string') return false;
  if (!ISO_DATE_PATTERN.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month);
};

// A run checks the same few hundred dates millions of times (every snapshot's, every day's): each is checked once
// and remembered, the memory bounded by starting over past a few thousand.
const checkedDates = new Set<string>();
const CHECKED_DATES_MAX = 4096;

const assertDate = (date: IsoDate): void => {
  if (checkedDates.has(date)) return;
  if (!isValidIsoDate(date)) throw new ValidationError(`not a valid date (YYYY-MM-DD): ${String(date)}`);
  if (checkedDates.size >= CHECKED_DATES_MAX) checkedDates.clear();
  checkedDates.add(date);
};

const assertPeriod = (p: Period): void => {
  if (!isValidPeriod(p)) throw new ValidationError(`not a valid period (YYYY-MM): ${String(p)}`);
};

const yearMonth = (p: Period): [number, number] => {
  assertPeriod(p);
  return [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
};

export const periodOf = (date: IsoDate): Period => {
  assertDate(date);
  return date.slice(0, 7);
};

export const daysInPeriod = (p: Period): number => {
  const [year, month] = yearMonth(p);
  return monthLength(year, month);
};

export const periodStart = (p: Period): IsoDate => {
  assertPeriod(p);
  return `${p}-01`;
};

/** The period's last day. */
export const periodEnd = (p: Period): IsoDate => `${p}-${pad2(daysInPeriod(p))}`;

/** The date of day `day` (1…31) of a period. */
export const dateInPeriod = (p: Period, day: number): IsoDate => `${p}-${pad2(day)}`;

export const previousPeriod = (p: Period): Period => {
  const [year, month] = yearMonth(p);
  return month === 1 ? `${pad4(year - 1)}-12` : `${pad4(year)}-${pad2(month - 1)}`;
};

export const dayOfMonth = (date: IsoDate): number => {
  assertDate(date);
  return Number(date.slice(8, 10));
};

// Days since 1970-01-01 for a proleptic Gregorian date (civil-from-days arithmetic, no Date objects).
const toEpochDay = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

const fromEpochDay = (epochDay: number): IsoDate => {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) throw new ValidationError(`date out of range (years 0000-9999): day ${epochDay}`);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
};

/** Days since 1970-01-01 of a date: a day number that grows by one each night. */
export const epochDayOf = (date: IsoDate): number => {
  assertDate(date);
  return toEpochDay(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
};

export const addDays = (date: IsoDate, n: number): IsoDate => {
  assertDate(date);
  if (!Number.isInteger(n)) throw new ValidationError(`addDays needs a whole number of days, got ${n}`);
  return fromEpochDay(epochDayOf(date) + n);
};

/** The UTC calendar date of an instant. */
export const todayUtc = (now: Date): IsoDate => {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new ValidationError('todayUtc needs a valid Date');
  return fromEpochDay(Math.floor(ms / 86_400_000));
};

/**
 * The date usage of `period` is computed as of: `today` while the period runs, its last day once it is over.
 * A period that has not started yet has no usage to compute.
 */
export const asOfFor = (period: Period, today: IsoDate): IsoDate => {
  assertPeriod(period);
  const current = periodOf(today);
  // Fixed-width YYYY-MM strings compare in calendar order.
  if (period > current) throw new ValidationError(`period ${period} has not started yet (today is ${today})`);
  return period === current ? today : periodEnd(period);
};
