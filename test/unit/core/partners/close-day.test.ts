import { closeDayOf, DEFAULT_CLOSE_DAY_SPREAD, defaultCloseDay } from '../../../../lambdas/core/partners';

describe('the close day of a partner', () => {
  it('is the one the partner set', () => {
    expect(closeDayOf({ partnerId: 'msp-1', closeDay: 17 })).toBe(17);
  });

  it('defaults to a day from 1 to 7 by a stable hash of the partner id, about a seventh of partners on each', () => {
    expect(DEFAULT_CLOSE_DAY_SPREAD).toBe(7);
    const counts = new Array<number>(DEFAULT_CLOSE_DAY_SPREAD + 1).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const partnerId = `partner-${i}`;
      const day = closeDayOf({ partnerId });
      expect(day).toBe(defaultCloseDay(partnerId));
      counts[day]! += 1;
    }
    expect(counts[0]).toBe(0);
    // 1,429 expected per day; a binomial standard deviation is 35, so ±175 is five of them.
    for (const count of counts.slice(1)) expect(Math.abs(count - 10_000 / 7)).toBeLessThan(175);
  });
});
