import type { ComputedLine, HeldValue, LineReceipt, Refusal } from '../../../../lambdas/core/model';
import { addDays, epochDayOf } from '../../../../lambdas/core/period';
import {
  type DecideInput,
  decideLines,
  lineReceipt,
  runStatusOf,
  serviceIdsOf,
  summarize,
} from '../../../../lambdas/core/sync/decide';
import { isVerificationNight, VERIFICATION_NIGHTS, verificationSlot } from '../../../../lambdas/core/sync/verification';

const AT = '2026-11-26T02:00:00.000Z';
const line = (accountId: string, pushed: number, serviceKey = 'seats'): ComputedLine => ({
  accountId,
  serviceKey,
  computed: pushed,
  pushed,
  roundingDelta: 0,
});
const held = (accountId: string, value: number, runId = 'earlier-run'): HeldValue => ({
  partnerId: 'msp-1',
  period: '2026-11',
  accountId,
  serviceKey: 'seats',
  value,
  runId,
  acceptedAt: AT,
  serviceId: 'sku-1',
});
const mapped = (...ids: string[]) => new Map(ids.map((id) => [id, { isMapped: true }]));
/** An as-of day on which none of the lines used below is due for verification. */
const QUIET_DAY = '2026-11-25';
const input = (over: Partial<DecideInput>): DecideInput => ({
  partnerId: 'msp-1',
  runId: 'run-1',
  full: false,
  lines: [],
  earlier: [],
  held: [],
  serviceIds: new Map([['seats', 'sku-1']]),
  accounts: mapped('acme', 'globex'),
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
    const d = decideLines(input({ lines: [line('initech', 1), line('acme', 2, 'storage')], accounts: mapped('acme') }));
    expect(d.toSend).toEqual([]);
    expect(d.settled.map((r) => [r.accountId, r.outcome, r.attempts])).toEqual([
      ['initech', 'not_mapped', 0],
      ['acme', 'not_mapped', 0],
    ]);
  });

  it('skips a line equal to the value Gradient holds from an earlier run, unless the run sends everything', () => {
    const lines = [line('acme', 3)];
    expect(decideLines(input({ lines, held: [held('acme', 3)] })).settled[0]?.outcome).toBe('unchanged');
    const full = decideLines(input({ lines, held: [held('acme', 3)], full: true }));
    expect(full.toSend).toEqual([{ line: line('acme', 3), serviceId: 'sku-1', detail: 'full resync' }]);
  });

  it('never resends a value this very run got accepted, even a full run', () => {
    const d = decideLines(input({ lines: [line('acme', 3)], held: [held('acme', 3, 'run-1')], full: true }));
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

describe('the diff against what Gradient holds', () => {
  it('puts the current value back after a past-period resync left the previous month’s value in Gradient', () => {
    // A resync of October pushed 6.7857; November computes 2.6452, which Gradient no longer holds.
    const afterResync = { ...held('acme', 6.7857, 'resync-oct'), period: '2026-10' };
    const d = decideLines(input({ lines: [line('acme', 2.6452)], held: [afterResync] }));
    expect(d.toSend.map((s) => s.line)).toEqual([line('acme', 2.6452)]);
  });

  it('starts a new period sending only the lines whose value differs from what Gradient holds', () => {
    const lastMonth = [held('acme', 5), held('globex', 7)].map((h) => ({ ...h, period: '2026-10' }));
    const d = decideLines(input({ lines: [line('acme', 5), line('globex', 8)], held: lastMonth }));
    expect(d.toSend.map((s) => s.line.accountId)).toEqual(['globex']);
    expect(d.settled.map((r) => [r.accountId, r.outcome])).toEqual([['acme', 'unchanged']]);
  });

  it('sends every mapped line when nothing is held (a reconnect after disconnect forgot the held values)', () => {
    const d = decideLines(input({ lines: [line('acme', 5), line('globex', 7)], held: [] }));
    expect(d.toSend.map((s) => s.line.accountId)).toEqual(['acme', 'globex']);
  });

  it('treats a value as not held once the account’s mapping began again (re-created or newly mapped)', () => {
    const accounts = new Map([['acme', { isMapped: true, mappedSince: '2026-11-20T02:00:00.000Z' }]]);
    const d = decideLines(input({ lines: [line('acme', 5)], held: [held('acme', 5)], accounts }));
    expect(d.toSend).toEqual([{ line: line('acme', 5), serviceId: 'sku-1', mappedSince: '2026-11-20T02:00:00.000Z' }]);
    // The value accepted under that mapping is held again.
    const since = { ...held('acme', 5), mappedSince: '2026-11-20T02:00:00.000Z' };
    expect(decideLines(input({ lines: [line('acme', 5)], held: [since], accounts })).toSend).toEqual([]);
  });

  it('treats a value as not held when it was sent to another Gradient service id', () => {
    const other = { ...held('acme', 5), serviceId: 'sku-old' };
    expect(decideLines(input({ lines: [line('acme', 5)], held: [other] })).toSend).toHaveLength(1);
    const migrated: HeldValue = { ...held('acme', 5), serviceId: undefined };
    expect(decideLines(input({ lines: [line('acme', 5)], held: [migrated] })).toSend).toEqual([]);
  });

  it('sends the line of an account whose mapping flag Gradient does not report, and lets the 404 decide', () => {
    const accounts = new Map([['acme', {}]]);
    const d = decideLines(input({ lines: [line('acme', 5)], accounts }));
    expect(d.toSend.map((s) => s.line.accountId)).toEqual(['acme']);
    const unmapped = decideLines(
      input({ lines: [line('acme', 5)], accounts: new Map([['acme', { isMapped: false }]]) }),
    );
    expect(unmapped.settled.map((r) => r.outcome)).toEqual(['not_mapped']);
  });
});

describe('verification of quiet lines', () => {
  const ACCOUNTS = Array.from({ length: 1000 }, (_, i) => `acct-${String(i).padStart(4, '0')}`);
  const nightAt = (asOf: string) => `${addDays(asOf, 1)}T02:00:00.000Z`;

  it('re-sends every quiet line exactly once over 28 consecutive nights, no night more than twice its share', () => {
    const firstNight = '2026-11-10';
    let holds = new Map(ACCOUNTS.map((a) => [a, { ...held(a, 3), acceptedAt: nightAt(addDays(firstNight, -1)) }]));
    const sends = new Map<string, number>();
    const perNight: number[] = [];
    for (let n = 0; n < VERIFICATION_NIGHTS; n++) {
      const asOf = addDays(firstNight, n);
      const d = decideLines(
        input({
          runId: `night-${n}`,
          lines: ACCOUNTS.map((a) => line(a, 3)),
          held: [...holds.values()],
          accounts: mapped(...ACCOUNTS),
          at: nightAt(asOf),
        }),
      );
      perNight.push(d.toSend.length);
      expect(new Set(d.toSend.map((s) => s.detail))).toEqual(new Set(d.toSend.length ? ['verification'] : []));
      holds = new Map(holds);
      for (const s of d.toSend) {
        sends.set(s.line.accountId, (sends.get(s.line.accountId) ?? 0) + 1);
        holds.set(s.line.accountId, { ...held(s.line.accountId, 3, `night-${n}`), acceptedAt: nightAt(asOf) });
      }
    }
    expect([...sends.values()].every((count) => count === 1)).toBe(true);
    expect(sends.size).toBe(ACCOUNTS.length);
    const share = ACCOUNTS.length / VERIFICATION_NIGHTS;
    expect(Math.max(...perNight)).toBeLessThanOrEqual(2 * share);
    expect(Math.min(...perNight)).toBeGreaterThan(0);
  });

  it('verifies other lines each night while the as-of day stands still before the close day', () => {
    // A close-day-5 partner computes 31 December on the nights of 1 … 4 January: four different shares.
    const holds = ACCOUNTS.map((a) => ({ ...held(a, 3), acceptedAt: '2026-12-20T02:00:00.000Z' }));
    const verified = ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'].map(
      (day) =>
        new Set(
          decideLines(
            input({
              lines: ACCOUNTS.map((a) => line(a, 3)),
              held: holds,
              accounts: mapped(...ACCOUNTS),
              at: `${day}T02:00:00.000Z`,
            }),
          ).toSend.map((s) => s.line.accountId),
        ),
    );
    const all = verified.flatMap((s) => [...s]);
    expect(new Set(all).size).toBe(all.length);
    for (const share of verified) expect(share.size).toBeGreaterThan(0);
  });

  it('gives a line the same verification night forever, spread over the cycle by line', () => {
    const slots = ACCOUNTS.map((a) => verificationSlot('msp-1', a, 'seats'));
    expect(slots).toEqual(ACCOUNTS.map((a) => verificationSlot('msp-1', a, 'seats')));
    expect(new Set(slots).size).toBe(VERIFICATION_NIGHTS);
  });

  it('re-sends a value held 28 days or more whatever night its hash picks (nights were missed)', () => {
    const asOf = QUIET_DAY;
    const old = { ...held('acme', 3), acceptedAt: `${addDays(asOf, -27)}T02:00:00.000Z` };
    const at = `${addDays(asOf, 1)}T02:00:00.000Z`;
    expect(isVerificationNight(held('acme', 3), at)).toBe(false);
    expect(decideLines(input({ lines: [line('acme', 3)], held: [old], at })).toSend).toEqual([
      { line: line('acme', 3), serviceId: 'sku-1', detail: 'verification' },
    ]);
    const recent = { ...old, acceptedAt: `${addDays(asOf, -26)}T02:00:00.000Z` };
    expect(decideLines(input({ lines: [line('acme', 3)], held: [recent], at })).toSend).toEqual([]);
  });
});

describe('lines Gradient refused with 404', () => {
  const REFUSED_AT = '2026-11-25T02:00:00.000Z';
  const refusal = (over: Partial<Refusal> = {}): Refusal => ({
    partnerId: 'msp-1',
    accountId: 'acme',
    serviceKey: 'seats',
    value: 3,
    serviceId: 'sku-1',
    refusedAt: REFUSED_AT,
    ...over,
  });
  const refused = (over: Partial<DecideInput> = {}) =>
    decideLines(input({ lines: [line('acme', 3)], refusals: [refusal()], ...over }));

  it('settles a refused line as not_mapped without a request while nothing changed, saying when it was refused', () => {
    const d = refused();
    expect(d.toSend).toEqual([]);
    expect(d.settled).toEqual([
      lineReceipt('run-1', line('acme', 3), 'not_mapped', AT, {
        detail: 'refused by Gradient on 2026-11-25; not re-sent until the mapping changes',
      }),
    ]);
  });

  it('still holds a refusal when the mappings were last synced before it', () => {
    expect(refused({ mappingsSyncedAt: '2026-11-24T09:00:00.000Z' }).toSend).toEqual([]);
  });

  it.each<[string, Partial<DecideInput>]>([
    ['its value changed', { lines: [line('acme', 4)] }],
    ['its service goes to another Gradient service id', { serviceIds: new Map([['seats', 'sku-2']]) }],
    [
      'its account’s mapping began again (the flag flipped)',
      { accounts: new Map([['acme', { isMapped: true, mappedSince: '2026-11-25T09:00:00.000Z' }]]) },
    ],
    ['the partner pressed Sync mappings since', { mappingsSyncedAt: '2026-11-25T10:00:00.000Z' }],
    ['the run sends everything', { full: true }],
    [
      'Gradient accepted a value for it since',
      { held: [{ ...held('acme', 2), acceptedAt: '2026-11-25T03:00:00.000Z' }] },
    ],
  ])('sends a refused line again when %s', (_, over) => {
    const d = refused(over);
    expect(d.settled).toEqual([]);
    expect(d.toSend).toHaveLength(1);
    expect(d.toSend[0]).toMatchObject({ wasRefused: true });
  });

  it('sends a refused line on its verification night, and whatever the night once refused 28 days ago', () => {
    const slot = verificationSlot('msp-1', 'acme', 'seats');
    const dueDay = addDays(
      QUIET_DAY,
      (slot - (epochDayOf(QUIET_DAY) % VERIFICATION_NIGHTS) + VERIFICATION_NIGHTS) % VERIFICATION_NIGHTS,
    );
    expect(refused({ at: `${dueDay}T02:00:00.000Z` }).toSend).toHaveLength(1);
    expect(refused({ refusals: [refusal({ refusedAt: '2026-10-29T02:00:00.000Z' })] }).toSend).toHaveLength(1);
    expect(refused({ refusals: [refusal({ refusedAt: '2026-10-29T02:00:01.000Z' })] }).toSend).toHaveLength(0);
  });

  it('leaves a refusal of another line alone', () => {
    const d = refused({ lines: [line('globex', 3)] });
    expect(d.toSend).toEqual([{ line: line('globex', 3), serviceId: 'sku-1' }]);
  });
});
