// One number per line, whoever is asked: for random usage, the count Gradient receives equals the receipt's
// pushed value, the read-back's value, the statement line's pushed value, and what an oracle computes from the
// read-back's days by the service's rule; and the explanation's days are the read-back's days in the billed unit.
// A disagreement among these is the one bug a billing admin will not forgive.
import fc from 'fast-check';
import type { Aggregation, AverageBasis, RoundingPolicy, SyncRequest } from '../../../lambdas/core/model';
import { AGGREGATIONS, AVERAGE_BASES, ROUNDING_POLICIES } from '../../../lambdas/core/model';
import { readLineUsage } from '../../../lambdas/core/read/line-usage';
import { getStatement } from '../../../lambdas/core/read/statements/statement';
import { applyRounding, roundTo4 } from '../../../lambdas/core/rounding';
import { enqueueRun } from '../../../lambdas/core/sync/enqueue';
import { runSync } from '../../../lambdas/core/sync/run-sync';
import { FakeGradient, memoryDeps } from '../../support/memory-deps';

const KEY = 'partner-key-one-number';
const PARTNER = 'msp-1';
const PERIOD = '2026-10'; // closed on the virtual clock's today (2026-11-26): computed as of its last day
const AS_OF = '2026-10-31';

interface LineSpec {
  aggregation: Aggregation;
  basis: AverageBasis;
  unitScale: number;
  /** A state from the month before (the carry-in), or none. */
  before?: number;
  days: Array<{ day: number; quantity: number }>;
}

const lineSpec = fc.record({
  aggregation: fc.constantFrom(...AGGREGATIONS),
  basis: fc.constantFrom(...AVERAGE_BASES),
  unitScale: fc.constantFrom(1, 1_000, 1e9),
  before: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
  days: fc.array(
    fc.record({ day: fc.integer({ min: 1, max: 31 }), quantity: fc.integer({ min: 0, max: 5_000_000 }) }),
    {
      maxLength: 8,
    },
  ),
});

/** The service's rule applied to the days as the read-back lists them, by hand. */
function oracle(spec: LineSpec, days: number[], rounding: RoundingPolicy): number {
  const total = days.reduce((a, b) => a + b, 0);
  const last = days.at(-1) ?? 0;
  const raw =
    spec.aggregation === 'sum'
      ? total
      : spec.aggregation === 'peak'
        ? Math.max(...days)
        : spec.aggregation === 'last'
          ? last
          : total / days.length; // October has 31 days and the as-of is its last: both bases agree
  return applyRounding(roundTo4(raw / spec.unitScale), rounding);
}

async function world(specs: LineSpec[], rounding: RoundingPolicy) {
  const deps = memoryDeps();
  const gradient = new FakeGradient();
  deps.gradients.set(KEY, gradient);
  await deps.keys.put(PARTNER, KEY);
  await deps.partners.put({
    partnerId: PARTNER,
    status: 'connected',
    roundingPolicy: rounding,
    updatedAt: '2026-10-01',
  });
  for (const [i, spec] of specs.entries()) {
    const serviceKey = `svc-${i}`;
    const accountId = `acct-${i}`;
    await deps.catalog.put({
      serviceKey,
      name: serviceKey,
      description: serviceKey,
      category: 'security',
      subcategory: 'backup',
      aggregation: spec.aggregation,
      ...(spec.aggregation === 'average' && { averageBasis: spec.basis }),
      unitScale: spec.unitScale,
      gradientServiceId: `sku-${i}`,
      updatedAt: '2026-10-01',
    });
    gradient.mappedServices.add(`sku-${i}`);
    gradient.accounts.set(accountId, { id: accountId, name: accountId, isMapped: true });
    await deps.accounts.put({ partnerId: PARTNER, accountId, name: accountId, active: true, updatedAt: '2026-10-01' });
    await deps.usage.putSnapshots([
      ...(spec.before === undefined
        ? []
        : [{ partnerId: PARTNER, accountId, serviceKey, date: '2026-09-15', quantity: spec.before }]),
      ...spec.days.map(({ day, quantity }) => ({
        partnerId: PARTNER,
        accountId,
        serviceKey,
        date: `${PERIOD}-${String(day).padStart(2, '0')}`,
        quantity,
      })),
    ]);
  }
  return { deps, gradient };
}

describe('one number per line', () => {
  it('the count sent, the receipt, the read-back, the statement and the explanation agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineSpec, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...ROUNDING_POLICIES),
        async (specs, rounding) => {
          const { deps, gradient } = await world(specs, rounding);
          const request: SyncRequest = {
            runId: '20261126T020000Z-r-onenumber',
            partnerId: PARTNER,
            period: PERIOD,
            asOf: AS_OF,
            full: true,
            trigger: 'resync',
          };
          await enqueueRun(deps, { ...request, queuedAt: deps.clock.now() });
          await runSync(deps, request, {
            gate: { acquire: async () => {}, penalize: () => {} },
            deadline: deps.clock.now().getTime() + 60_000,
            leaseMs: 60_000,
            maxInFlight: 2,
            retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
          });
          const receipts = await deps.runs.listReceipts(PARTNER, request.runId);
          const statement = await getStatement(deps, PARTNER, PERIOD);
          const held = await deps.held.list(PARTNER);
          for (const [i, spec] of specs.entries()) {
            const accountId = `acct-${i}`;
            const serviceKey = `svc-${i}`;
            const back = await readLineUsage(deps, PARTNER, { accountId, serviceKey, period: PERIOD });
            const receipt = receipts.find((r) => r.accountId === accountId && r.serviceKey === serviceKey);
            const line = statement.lines.find((l) => l.accountId === accountId && l.serviceKey === serviceKey);
            const sent = gradient.counts.filter((c) => c.serviceId === `sku-${i}` && c.accountId === accountId);
            if (spec.before === undefined && spec.days.length === 0) {
              // No usage at all: the line does not exist anywhere.
              expect([receipt, line, back.value, sent.length, back.metered.length]).toEqual([
                undefined,
                undefined,
                undefined,
                0,
                0,
              ]);
              continue;
            }
            const days = back.metered.map((d) => d.quantity);
            expect(back.metered.map((d) => d.date)).toEqual(
              Array.from({ length: 31 }, (_, d) => `${PERIOD}-${String(d + 1).padStart(2, '0')}`),
            );
            const pushed = oracle(spec, days, rounding);
            expect(receipt?.outcome).toBe('accepted');
            expect(receipt?.pushed).toBe(pushed);
            expect(back.value?.pushed).toBe(pushed);
            expect(line?.pushed).toBe(pushed);
            expect(sent.map((c) => c.unitCount)).toEqual([pushed]);
            // The explanation kept with the value Gradient now holds: the same days, in the billed unit.
            const basis = held.find((h) => h.accountId === accountId && h.serviceKey === serviceKey)?.basis;
            expect(basis?.days).toEqual(days.map((q) => roundTo4(q / spec.unitScale)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
