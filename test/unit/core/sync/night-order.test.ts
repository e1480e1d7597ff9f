import type { IsoDate } from '../../../../lambdas/core/model';
import {
  compareNightPlaces,
  expectedSize,
  type NightPlace,
  rebasesOn,
} from '../../../../lambdas/core/sync/night-order';

const place = (partnerId: string, over: Partial<NightPlace> = {}): NightPlace => ({
  partnerId,
  lane: 'nightly',
  rebases: false,
  size: 0,
  ...over,
});
const order = (places: NightPlace[]) => [...places].sort(compareNightPlaces).map((p) => p.partnerId);

describe('rebasesOn', () => {
  it('is true on the one night of the month a partner’s new period begins, for every close day', () => {
    for (const closeDay of [1, 2, 7, 28]) {
      const nights: IsoDate[] = Array.from(
        { length: 31 },
        (_, i) => `2027-01-${String(i + 1).padStart(2, '0')}` as IsoDate,
      );
      expect(nights.filter((asOf) => rebasesOn(asOf, closeDay))).toEqual([
        `2027-01-${String(closeDay).padStart(2, '0')}`,
      ]);
    }
  });

  it('sees the calendar month begin on the 1st for close day 1, across a year end', () => {
    expect(rebasesOn('2027-01-01', 1)).toBe(true);
    expect(rebasesOn('2026-12-31', 1)).toBe(false);
    // Close day 3: the 1st and 2nd still compute December as of its last day.
    expect(rebasesOn('2027-01-01', 3)).toBe(false);
    expect(rebasesOn('2027-01-03', 3)).toBe(true);
  });
});

describe('compareNightPlaces', () => {
  it('puts the lanes in the budget’s order, whatever the size or the close day', () => {
    expect(
      order([
        place('bulk-big', { lane: 'bulk', size: 50_000, rebases: true }),
        place('nightly-small', { size: 1 }),
        place('admin', { lane: 'admin' }),
      ]),
    ).toEqual(['admin', 'nightly-small', 'bulk-big']);
  });

  it('within a lane: tonight’s rebases first, then the largest, then by partner id', () => {
    expect(
      order([
        place('c', { size: 10 }),
        place('rebase-small', { rebases: true, size: 5 }),
        place('a', { size: 10 }),
        place('big', { size: 900 }),
        place('rebase-big', { rebases: true, size: 500 }),
        place('new', { size: 0 }),
      ]),
    ).toEqual(['rebase-big', 'rebase-small', 'big', 'a', 'c', 'new']);
  });

  it('is a total order: the same set in any arrival order sorts the same', () => {
    const places = [
      place('x', { size: 3 }),
      place('y', { size: 3 }),
      place('z', { lane: 'bulk', size: 3 }),
      place('w', { rebases: true }),
    ];
    const sorted = order(places);
    expect(order([...places].reverse())).toEqual(sorted);
    expect(order([places[2]!, places[0]!, places[3]!, places[1]!])).toEqual(sorted);
  });
});

describe('expectedSize', () => {
  it('is the lines of the last run, 0 for a partner that has none', () => {
    expect(expectedSize({})).toBe(0);
    expect(
      expectedSize({
        lastRun: {
          runId: 'r',
          period: '2027-01',
          status: 'succeeded',
          summary: { lines: 420, sent: 12, accepted: 12, notMapped: 0, unchanged: 408, failed: 0 },
        },
      }),
    ).toBe(420);
  });
});
