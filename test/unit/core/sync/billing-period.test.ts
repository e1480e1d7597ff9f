import { ValidationError } from '../../../../lambdas/core/errors';
import { billingTarget } from '../../../../lambdas/core/sync/billing-period';

describe('billingTarget', () => {
  it('keeps the calendar with close day 1: the 1st already belongs to the new period', () => {
    expect(billingTarget('2026-12-01', 1)).toEqual({ period: '2026-12', asOf: '2026-12-01' });
    expect(billingTarget('2026-11-30', 1)).toEqual({ period: '2026-11', asOf: '2026-11-30' });
    expect(billingTarget('2026-11-15', 1)).toEqual({ period: '2026-11', asOf: '2026-11-15' });
  });

  it('computes the closed month as of its last day until the close day, then the new month as of the day', () => {
    // Close day 5: the 1st to the 4th still compute November as of the 30th; the 5th is December's first night.
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-04']) {
      expect(billingTarget(day, 5)).toEqual({ period: '2026-11', asOf: '2026-11-30' });
    }
    expect(billingTarget('2026-12-05', 5)).toEqual({ period: '2026-12', asOf: '2026-12-05' });
    expect(billingTarget('2026-12-31', 5)).toEqual({ period: '2026-12', asOf: '2026-12-31' });
  });

  it.each([
    // the closed month's last day, whatever its length
    ['2026-02-03', '2026-01', '2026-01-31'], // 31 days
    ['2026-05-03', '2026-04', '2026-04-30'], // 30 days
    ['2026-03-03', '2026-02', '2026-02-28'], // February
    ['2024-03-03', '2024-02', '2024-02-29'], // February of a leap year
    ['2027-01-03', '2026-12', '2026-12-31'], // across the year
  ])('before close day 4, %s computes %s as of %s', (day, period, asOf) => {
    expect(billingTarget(day, 4)).toEqual({ period, asOf });
  });

  it('takes close day 28 in every month, February too: the 27th is still the closed month', () => {
    expect(billingTarget('2026-02-27', 28)).toEqual({ period: '2026-01', asOf: '2026-01-31' });
    expect(billingTarget('2026-02-28', 28)).toEqual({ period: '2026-02', asOf: '2026-02-28' });
    expect(billingTarget('2024-02-28', 28)).toEqual({ period: '2024-02', asOf: '2024-02-28' });
    expect(billingTarget('2026-03-31', 28)).toEqual({ period: '2026-03', asOf: '2026-03-31' });
  });

  it('refuses a close day outside 1-28 and a malformed date', () => {
    for (const closeDay of [0, 29, 31, 2.5, Number.NaN]) {
      expect(() => billingTarget('2026-12-10', closeDay)).toThrow(ValidationError);
    }
    expect(() => billingTarget('2026-02-30', 1)).toThrow(ValidationError);
  });
});
