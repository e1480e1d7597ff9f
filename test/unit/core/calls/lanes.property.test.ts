// Property tests of how the lanes share a second of the budget (core/calls/lanes.ts), for any capacity, floor and
// demand: never more than the second, nobody more than it wants, nothing left idle that a lane wants, every lane
// that wants tokens at least its floor, a lane ahead served in full before a lane behind gets past its floor, a
// lone lane served alone; and a lane's cap is what it gets when it wants all it can.
import * as fc from 'fast-check';
import { laneCap, laneFloor, laneShares } from '../../../../lambdas/core/calls/lanes';
import { RUN_LANES, type RunLane } from '../../../../lambdas/core/model';

const RUNS = { numRuns: 500, seed: 19 };

const demandArb = fc.record(
  { admin: fc.nat({ max: 150 }), nightly: fc.nat({ max: 150 }), bulk: fc.nat({ max: 150 }) },
  { requiredKeys: [] },
);
const capacityArb = fc.integer({ min: 1, max: 100 });
// Floors that fit: three lanes' floors within the second.
const floorShareArb = fc.double({ min: 0, max: 1 / 3, noNaN: true });

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const want = (d: Partial<Record<RunLane, number>>, lane: RunLane) => d[lane] ?? 0;

describe('the lanes’ shares of a second', () => {
  it('hand out at most the second, to nobody more than it wants, and leave nothing idle that a lane wants', () => {
    fc.assert(
      fc.property(capacityArb, floorShareArb, demandArb, (capacity, floorShare, demand) => {
        const shares = laneShares(capacity, demand, floorShare);
        for (const lane of RUN_LANES) {
          expect(shares[lane]).toBeGreaterThanOrEqual(0);
          expect(shares[lane]).toBeLessThanOrEqual(want(demand, lane));
        }
        expect(sum(Object.values(shares))).toBe(Math.min(capacity, sum(RUN_LANES.map((l) => want(demand, l)))));
      }),
      RUNS,
    );
  });

  it('keep every lane that wants tokens at least its floor, whatever the lanes ahead want', () => {
    fc.assert(
      fc.property(capacityArb, floorShareArb, demandArb, (capacity, floorShare, demand) => {
        const floor = laneFloor(capacity, floorShare);
        fc.pre(3 * floor <= capacity);
        const shares = laneShares(capacity, demand, floorShare);
        for (const lane of RUN_LANES) expect(shares[lane]).toBeGreaterThanOrEqual(Math.min(want(demand, lane), floor));
      }),
      RUNS,
    );
  });

  it('serve a lane ahead in full before a lane behind gets more than its floor', () => {
    fc.assert(
      fc.property(capacityArb, floorShareArb, demandArb, (capacity, floorShare, demand) => {
        const floor = laneFloor(capacity, floorShare);
        const shares = laneShares(capacity, demand, floorShare);
        RUN_LANES.forEach((behind, j) => {
          if (shares[behind] <= floor) return;
          for (const ahead of RUN_LANES.slice(0, j)) expect(shares[ahead]).toBe(want(demand, ahead));
        });
      }),
      RUNS,
    );
  });

  it('give a lone lane all it wants of the second, and cap it at the whole second', () => {
    fc.assert(
      fc.property(capacityArb, floorShareArb, fc.constantFrom(...RUN_LANES), fc.nat({ max: 200 }), (c, f, lane, d) => {
        expect(laneShares(c, { [lane]: d }, f)[lane]).toBe(Math.min(c, d));
        expect(laneCap(lane, c, {}, f)).toBe(c);
      }),
      RUNS,
    );
  });

  it('cap a lane at its share when it wants everything: the rest of what the lanes ahead want, and the floors behind', () => {
    fc.assert(
      fc.property(capacityArb, floorShareArb, demandArb, fc.constantFrom(...RUN_LANES), (capacity, f, demand, lane) => {
        const cap = laneCap(lane, capacity, demand, f);
        const others = { ...demand, [lane]: capacity * 10 };
        expect(cap).toBe(laneShares(capacity, others, f)[lane]);
        // What it leaves the others is all they then get: together never past the second.
        const rest = laneShares(capacity, { ...demand, [lane]: cap }, f);
        expect(rest[lane]).toBe(cap);
        expect(sum(Object.values(rest))).toBeLessThanOrEqual(capacity);
      }),
      RUNS,
    );
  });
});
