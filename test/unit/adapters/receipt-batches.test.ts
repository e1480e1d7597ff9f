// The compact receipt batches: what goes in comes back out, field for field, and lines that differ only in their
// own values (account, computed, pushed, the value Gradient held before) share one group.
import { fromBatch, toBatches } from '../../../lambdas/adapters/dynamo/receipt-batches';
import type { LineReceipt } from '../../../lambdas/core/model';

const base = {
  runId: 'run-1',
  outcome: 'unchanged',
  reason: 'unchanged',
  changes: [],
  attempts: 0,
  at: '2026-12-01T02:00:00.000Z',
} as const;

const line = (accountId: string, computed: number, pushed: number, previous?: number | null): LineReceipt => ({
  ...base,
  changes: [],
  accountId,
  serviceKey: 'business-seat',
  computed,
  pushed,
  ...(previous !== undefined && { previous }),
});

describe('receipt batches', () => {
  it('give back every receipt as written, whether it held a previous value, none (null) or another one', () => {
    const receipts = [
      line('a1', 4.5, 5, 5),
      line('a2', 3, 3, null),
      line('a3', 7.25, 8, 6),
      line('a4', 2, 2),
      { ...line('a5', 1, 1, 0), outcome: 'not_mapped' as const, reason: 'not_mapped' as const, detail: 'refused' },
    ];
    const back = toBatches(receipts).flatMap((b) => fromBatch(b.groups));
    const byAccount = (r: LineReceipt[]) => [...r].sort((x, y) => x.accountId.localeCompare(y.accountId));
    expect(byAccount(back)).toEqual(byAccount(receipts));
  });

  it('keep unchanged lines with their own previous values in one group', () => {
    const receipts = Array.from({ length: 100 }, (_, i) => line(`acc-${i}`, i + 0.5, i + 1, i + 1));
    const batches = toBatches(receipts);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.groups).toHaveLength(1);
  });
});
