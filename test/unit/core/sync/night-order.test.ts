import * as fc from 'fast-check';
import { type IsoDate, RUN_LANES } from '../../../../lambdas/core/model';
import {
  arrangeNight,
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

describe('arrangeNight', () => {
  const arranged = (places: NightPlace[]) => arrangeNight(places, (p) => p).map((p) => p.partnerId);

  it('takes each group from both ends in turn: the largest first, then the smallest, and so on', () => {
    const sizes = [40, 10, 100, 70, 1, 5];
    expect(arranged(sizes.map((size) => place(`p${size}`, { size })))).toEqual([
      'p100',
      'p1',
      'p70',
      'p5',
      'p40',
      'p10',
    ]);
  });

  it('keeps the groups in order: lane, then tonight’s rebases; each group arranged on its own', () => {
    expect(
      arranged([
        place('bulk-9', { lane: 'bulk', size: 9 }),
        place('n-1', { size: 1 }),
        place('r-50', { rebases: true, size: 50 }),
        place('n-300', { size: 300 }),
        place('r-2', { rebases: true, size: 2 }),
        place('n-20', { size: 20 }),
        place('r-7', { rebases: true, size: 7 }),
        place('admin', { lane: 'admin', size: 1 }),
      ]),
    ).toEqual(['admin', 'r-50', 'r-2', 'r-7', 'n-300', 'n-1', 'n-20', 'bulk-9']);
  });

  it('answers every item once, for any fleet', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lane: fc.constantFrom(...RUN_LANES),
            rebases: fc.boolean(),
            size: fc.nat({ max: 50 }),
          }),
          { maxLength: 60 },
        ),
        (specs) => {
          const places = specs.map((spec, i) => place(`p${i}`, spec));
          const out = arrangeNight(places, (p) => p);
          expect(out.map((p) => p.partnerId).sort()).toEqual(places.map((p) => p.partnerId).sort());
          // Groups never interleave: lane and rebasing only move forward in the order.
          const rank = (p: NightPlace) => 2 * RUN_LANES.indexOf(p.lane) + (p.rebases ? 0 : 1);
          for (let i = 1; i < out.length; i++) expect(rank(out[i]!)).toBeGreaterThanOrEqual(rank(out[i - 1]!));
          // Each group starts with its largest.
          for (let i = 0; i < out.length; i++) {
            if (i > 0 && rank(out[i]!) === rank(out[i - 1]!)) continue;
            const group = out.filter((p) => rank(p) === rank(out[i]!));
            expect(out[i]!.size).toBe(Math.max(...group.map((p) => p.size)));
          }
        },
      ),
    );
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
