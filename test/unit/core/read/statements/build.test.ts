// buildStatement on its own: each line's names, held value and whether it reaches an invoice; the per-service
// ledger and unbilled units; a closed period showing its closing values with the adjustments seen since.
import type { ClosedStatement, ComputedLine, HeldValue, LineReceipt } from '../../../../../lambdas/core/model';
import { adjustmentsOf, buildStatement, type StatementInput } from '../../../../../lambdas/core/read/statements/build';

const MAPPED_SINCE = '2026-11-01T00:00:00.000Z';
const NOW = '2026-12-03T02:00:00.000Z';

const line = (accountId: string, serviceKey: string, computed: number, pushed = computed): ComputedLine => ({
  accountId,
  serviceKey,
  computed,
  pushed,
  roundingDelta: Math.round((pushed - computed) * 10_000) / 10_000,
});

const held = (accountId: string, serviceKey: string, value: number, extra: Partial<HeldValue> = {}): HeldValue => ({
  partnerId: 'msp-1',
  accountId,
  serviceKey,
  value,
  period: '2026-11',
  runId: 'r1',
  acceptedAt: '2026-11-25T02:00:00.000Z',
  serviceId: `sku-${serviceKey}`,
  mappedSince: MAPPED_SINCE,
  ...extra,
});

const receipt = (accountId: string, serviceKey: string, outcome: LineReceipt['outcome']): LineReceipt =>
  ({ runId: 'r1', accountId, serviceKey, outcome, at: '2026-11-25T02:00:00.000Z', attempts: 1 }) as LineReceipt;

/** a1 and a2 mapped, a3 not; seats set up in Gradient, storage not. */
function input(extra: Partial<StatementInput> = {}): StatementInput {
  return {
    partnerId: 'msp-1',
    period: '2026-11',
    asOf: '2026-11-25',
    roundingPolicy: 'up',
    lines: [
      line('a1', 'seats', 9.5, 10),
      line('a2', 'seats', 2.4, 3),
      line('a3', 'seats', 7),
      line('a1', 'storage', 5),
    ],
    accounts: [
      { partnerId: 'msp-1', accountId: 'a1', name: 'Acme', active: true, updatedAt: '2026-11-01' },
      { partnerId: 'msp-1', accountId: 'a2', name: 'Globex', active: true, updatedAt: '2026-11-01' },
    ],
    catalog: [
      {
        serviceKey: 'seats',
        name: 'Business Seat',
        description: 'Seat',
        category: 'security',
        subcategory: 'password management',
        aggregation: 'average',
        updatedAt: '2026-11-01',
      },
    ],
    accountStates: new Map([
      ['a1', { isMapped: true, mappedSince: MAPPED_SINCE }],
      ['a2', { isMapped: true, mappedSince: MAPPED_SINCE }],
      ['a3', { isMapped: false }],
    ]),
    serviceIds: new Map([['seats', 'sku-seats']]),
    held: [held('a1', 'seats', 10), held('a2', 'seats', 3, { mappedSince: '2026-10-01T00:00:00.000Z' })],
    receipts: [receipt('a1', 'seats', 'accepted'), receipt('a2', 'seats', 'not_mapped')],
    now: NOW,
    ...extra,
  };
}

describe('a statement', () => {
  it('names each line, shows what Gradient holds, and says whether it reaches an invoice', () => {
    const s = buildStatement(input());
    const byLine = new Map(s.lines.map((l) => [`${l.accountId}/${l.serviceKey}`, l]));

    expect(byLine.get('a1/seats')).toMatchObject({
      accountName: 'Acme',
      serviceName: 'Business Seat',
      computed: 9.5,
      pushed: 10,
      roundingDelta: 0.5,
      held: 10,
      mapped: true,
      outcome: 'accepted',
    });
    // Held under an older mapping: nothing we can rely on; the last run's 404 keeps it off the invoice.
    expect(byLine.get('a2/seats')).toMatchObject({ held: null, heldAt: null, mapped: false, outcome: 'not_mapped' });
    // An account with no name falls back to its id; an unmapped account and an unknown service are not billed.
    expect(byLine.get('a3/seats')).toMatchObject({ accountName: 'a3', mapped: false, outcome: null });
    expect(byLine.get('a1/storage')).toMatchObject({ serviceName: 'storage', mapped: false });
    expect(s).toMatchObject({ closed: false, asOf: '2026-11-25', adjustments: [] });
  });

  it('sums each service: the rounding ledger and the units that reach no invoice', () => {
    const s = buildStatement(input());
    expect(s.services).toEqual([
      {
        serviceKey: 'seats',
        serviceName: 'Business Seat',
        lines: 3,
        computed: 18.9,
        pushed: 20,
        roundingDelta: 1.1,
        notMappedLines: 2,
        notMappedUnits: 9.4,
      },
      {
        serviceKey: 'storage',
        serviceName: 'storage',
        lines: 1,
        computed: 5,
        pushed: 5,
        roundingDelta: 0,
        notMappedLines: 1,
        notMappedUnits: 5,
      },
    ]);
  });

  it('shows a closed period at its closing values, and what changed since as adjustments', () => {
    const closing: ClosedStatement = {
      partnerId: 'msp-1',
      period: '2026-11',
      asOf: '2026-11-30',
      closedAt: '2026-12-01T02:00:00.000Z',
      lines: [line('a1', 'seats', 9.5, 10), line('a2', 'seats', 2.4, 3)],
      adjustments: [],
    };
    const s = buildStatement(input({ closing, lines: [line('a1', 'seats', 9.5, 10), line('a2', 'seats', 2, 2)] }));

    expect(s).toMatchObject({ closed: true, asOf: '2026-11-30' });
    expect(s.lines.map((l) => [l.accountId, l.computed])).toEqual([
      ['a1', 9.5],
      ['a2', 2.4],
    ]);
    expect(s.adjustments).toEqual([
      { accountId: 'a2', serviceKey: 'seats', closedValue: 2.4, currentValue: 2, at: NOW },
    ]);
  });
});

describe('the adjustments of a closed period', () => {
  const closing = (adjustments: ClosedStatement['adjustments'] = []): ClosedStatement => ({
    partnerId: 'msp-1',
    period: '2026-11',
    asOf: '2026-11-30',
    closedAt: '2026-12-01T02:00:00.000Z',
    lines: [line('a1', 'seats', 4), line('a2', 'seats', 6)],
    adjustments,
  });

  it('gives a line that appeared since a closing value of 0, and one that vanished a current value of 0', () => {
    expect(adjustmentsOf(closing(), [line('a1', 'seats', 4), line('a3', 'seats', 1)], NOW)).toEqual([
      { accountId: 'a2', serviceKey: 'seats', closedValue: 6, currentValue: 0, at: NOW },
      { accountId: 'a3', serviceKey: 'seats', closedValue: 0, currentValue: 1, at: NOW },
    ]);
  });

  it('keeps when an unchanged adjustment was first seen, and restamps one whose value moved again', () => {
    const seen = '2026-12-02T02:00:00.000Z';
    const earlier = closing([
      { accountId: 'a1', serviceKey: 'seats', closedValue: 4, currentValue: 5, at: seen },
      { accountId: 'a2', serviceKey: 'seats', closedValue: 6, currentValue: 7, at: seen },
    ]);
    expect(adjustmentsOf(earlier, [line('a1', 'seats', 5), line('a2', 'seats', 8)], NOW)).toEqual([
      { accountId: 'a1', serviceKey: 'seats', closedValue: 4, currentValue: 5, at: seen },
      { accountId: 'a2', serviceKey: 'seats', closedValue: 6, currentValue: 8, at: NOW },
    ]);
  });

  it('has none while every line is at its closing value', () => {
    expect(adjustmentsOf(closing(), [line('a1', 'seats', 4), line('a2', 'seats', 6)], NOW)).toEqual([]);
  });
});
