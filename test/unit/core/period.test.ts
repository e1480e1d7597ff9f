import { ValidationError } from '../../../lambdas/core/errors';
import {
  addDays,
  asOfFor,
  dayOfMonth,
  daysInPeriod,
  isValidIsoDate,
  isValidPeriod,
  periodEnd,
  periodOf,
  periodStart,
  previousPeriod,
  todayUtc,
} from '../../../lambdas/core/period';

describe('period arithmetic', () => {
  it.each([
    ['2026-01', 31],
    ['2026-02', 28],
    ['2024-02', 29], // divisible by 4
    ['1900-02', 28], // divisible by 100 but not 400
    ['2000-02', 29], // divisible by 400
    ['2100-02', 28],
    ['2026-04', 30],
    ['2026-12', 31],
  ])('gives %s %i days', (period, days) => {
    expect(daysInPeriod(period)).toBe(days);
  });

  it('finds the first and last day of a period', () => {
    expect(periodStart('2026-02')).toBe('2026-02-01');
    expect(periodEnd('2026-02')).toBe('2026-02-28');
    expect(periodEnd('2024-02')).toBe('2024-02-29');
    expect(periodEnd('2026-04')).toBe('2026-04-30');
    expect(periodEnd('2026-01')).toBe('2026-01-31');
  });

  it('finds the period of a date and its day of month', () => {
    expect(periodOf('2026-03-17')).toBe('2026-03');
    expect(dayOfMonth('2026-03-07')).toBe(7);
    expect(dayOfMonth('2026-03-31')).toBe(31);
  });

  it('steps back one period, across a year boundary', () => {
    expect(previousPeriod('2026-03')).toBe('2026-02');
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('2000-10')).toBe('2000-09');
  });

  it('accepts only real calendar dates in YYYY-MM-DD', () => {
    expect(isValidIsoDate('2026-02-28')).toBe(true);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    for (const bad of [
      '2026-02-29',
      '2026-02-30',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-01-00',
      '2026-1-05',
      '2026-01-5',
      '20260105',
      '2026-01-05T00:00:00Z',
      ' 2026-01-05',
      '',
      undefined,
      20260105,
    ]) {
      expect(isValidIsoDate(bad)).toBe(false);
    }
  });

  it('accepts only YYYY-MM periods with a real month', () => {
    expect(isValidPeriod('2026-01')).toBe(true);
    expect(isValidPeriod('2026-12')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '202601', '2026-01-01', '', null]) {
      expect(isValidPeriod(bad)).toBe(false);
    }
  });

  it('rejects malformed input with a ValidationError instead of computing nonsense', () => {
    expect(() => periodOf('2026-02-30')).toThrow(ValidationError);
    expect(() => daysInPeriod('2026-13')).toThrow(ValidationError);
    expect(() => previousPeriod('26-01')).toThrow(ValidationError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(ValidationError);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2000-03-01', -1)).toBe('2000-02-29');
    expect(addDays('2100-03-01', -1)).toBe('2100-02-28');
    expect(addDays('2026-05-10', 0)).toBe('2026-05-10');
    // 2024 is a leap year: 366 days from 2024-01-01 is 2025-01-01.
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('1970-01-01', -1)).toBe('1969-12-31');
  });

  it('reads today in UTC whatever the instant’s offset', () => {
    expect(todayUtc(new Date('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(todayUtc(new Date('2026-04-01T00:30:00+02:00'))).toBe('2026-03-31');
    expect(todayUtc(new Date(0))).toBe('1970-01-01');
    expect(() => todayUtc(new Date('nope'))).toThrow(ValidationError);
  });

  describe('asOfFor', () => {
    it('is today while the period runs', () => {
      expect(asOfFor('2026-03', '2026-03-15')).toBe('2026-03-15');
      expect(asOfFor('2026-03', '2026-03-01')).toBe('2026-03-01');
    });

    it('is the last day once the month is over', () => {
      expect(asOfFor('2026-02', '2026-03-01')).toBe('2026-02-28');
      expect(asOfFor('2024-02', '2026-03-01')).toBe('2024-02-29');
      expect(asOfFor('2025-12', '2026-01-02')).toBe('2025-12-31');
    });

    it('refuses a period that has not started', () => {
      expect(() => asOfFor('2026-04', '2026-03-31')).toThrow(ValidationError);
      expect(() => asOfFor('2027-01', '2026-12-31')).toThrow(/not started/);
    });
  });
});
