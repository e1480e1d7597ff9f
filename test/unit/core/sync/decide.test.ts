import type { AcceptedValue, ComputedLine, LineReceipt } from '../../../../lambdas/core/model';
import {
  type DecideInput,
  decideLines,
  lineReceipt,
  runStatusOf,
  serviceIdsOf,
  summarize,
} from '../../../../lambdas/core/sync/decide';

const AT = '2026-11-26T02:00:00.000Z';
const line = (accountId: string, pushed: number, serviceKey = 'seats'): ComputedLine => ({
  accountId,
  serviceKey,
  computed: pushed,
  pushed,
  roundingDelta: 0,
});
const accepted = (accountId: string, value: number, runId = 'earlier-run'): AcceptedValue => ({
  partnerId: 'msp-1',
  period: '2026-11',
  accountId,
  serviceKey: 'seats',
  value,
  runId,
  acceptedAt: AT,
});
const input = (over: Partial<DecideInput>): DecideInput => ({
  runId: 'run-1',
  full: false,
  lines: [],
  earlier: [],
  accepted: [],
  serviceIds: new Map([['seats', 'sku-1']]),
  mapped: new Map([
    ['acme', true],
    ['globex', true],
  ]),
  at: AT,
  ...over,
});

describe('decideLines', () => {
  it('sends a mapped line whose value Gradient does not hold yet', () => {
    const d = decideLines(input({ lines: [line('acme', 3)] }));
    expect(d.toSend).toEqual([{ line: line('acme', 3), serviceId: 'sku-1' }]);
    expect(d.settled).toEqual([]);
  });

  it('settles a line of an unmapped account or a service without a Gradient id as not_mapped, without a request', () => {
    const d = decideLines(
      input({ lines: [line('initech', 1), line('acme', 2, 'storage')], mapped: new Map([['acme', true]]) }),
    );
    expect(d.toSend).toEqual([]);
    expect(d.settled.map((r) => [r.accountId, r.outcome, r.attempts])).toEqual([
      ['initech', 'not_mapped', 0],
      ['acme', 'not_mapped', 0],
    ]);
  });

  it('skips a line equal to the value accepted by an earlier run, unless the run sends everything', () => {
    const lines = [line('acme', 3)];
    expect(decideLines(input({ lines, accepted: [accepted('acme', 3)] })).settled[0]?.outcome).toBe('unchanged');
    const full = decideLines(input({ lines, accepted: [accepted('acme', 3)], full: true }));
    expect(full.toSend).toHaveLength(1);
  });

  it('never resends a value this very run got accepted, even a full run', () => {
    const d = decideLines(input({ lines: [line('acme', 3)], accepted: [accepted('acme', 3, 'run-1')], full: true }));
    expect(d.toSend).toEqual([]);
    expect(d.settled[0]).toMatchObject({ outcome: 'accepted', httpStatus: 201, attempts: 1 });
  });

  it('resumes a line settled by an earlier delivery with the same value, and resends it when the value moved', () => {
    const before = lineReceipt('run-1', line('acme', 3), 'accepted', AT, { attempts: 1 });
    expect(decideLines(input({ lines: [line('acme', 3)], earlier: [before] })).resumed).toEqual([before]);
    expect(decideLines(input({ lines: [line('acme', 4)], earlier: [before] })).toSend).toHaveLength(1);
    const failed: LineReceipt = { ...before, outcome: 'failed' };
    expect(decideLines(input({ lines: [line('acme', 3)], earlier: [failed] })).toSend).toHaveLength(1);
  });
});

describe('serviceIdsOf', () => {
  it("prefers the partner's service mapping over the id stored on the catalog service", () => {
    const service = {
      serviceKey: 'seats',
      name: 'Seats',
      description: '',
      category: 'x',
      subcategory: 'y',
      aggregation: 'peak' as const,
      gradientServiceId: 'old',
      updatedAt: AT,
    };
    expect(serviceIdsOf([service], [])).toEqual(new Map([['seats', 'old']]));
    expect(
      serviceIdsOf([service], [{ partnerId: 'msp-1', serviceKey: 'seats', gradientServiceId: 'new', syncedAt: AT }]),
    ).toEqual(new Map([['seats', 'new']]));
  });
});

describe('summarize and runStatusOf', () => {
  it('counts each outcome, sent only for lines a request was made for, and derives the status', () => {
    const r = (outcome: LineReceipt['outcome'], attempts: number) =>
      lineReceipt('run-1', line('acme', 1), outcome, AT, { attempts });
    const summary = summarize(4, [r('accepted', 1), r('unchanged', 0), r('not_mapped', 0), r('failed', 2)]);
    expect(summary).toEqual({ lines: 4, sent: 2, accepted: 1, notMapped: 1, unchanged: 1, failed: 1 });
    expect(runStatusOf(summary)).toBe('partial');
    expect(runStatusOf({ ...summary, failed: 0 })).toBe('succeeded');
    expect(runStatusOf({ ...summary, failed: 4 })).toBe('failed');
  });
});
