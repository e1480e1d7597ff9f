// The shared rate budget on the real local stack: two processes (each its own DynamoDB client and gate) race for
// one vendor budget in dynalite while sending to the Gradient emulator; the emulator's request log shows that,
// second by second, together they never sent more than the budget.
import { createDocumentClient, createDynamoClient } from '../../lambdas/adapters/dynamo';
import { DynamoRateBudget } from '../../lambdas/adapters/dynamo/rate-budget-repository';
import { budgetGates } from '../../lambdas/core/calls/shared-budget';
import { budgetSettings } from '../../lambdas/wiring';
import { type LocalStack, startLocalStack } from '../../local/stack';

const BUDGET = 10;
const KEY = 'partner-key-rate-budget-0001';
const RUN_MS = 3_500;

let s: LocalStack;
beforeAll(async () => {
  s = await startLocalStack({ rateBudget: BUDGET, emulator: { rateLimit: false } });
  s.emulator!.addPartner({ partnerApiKey: KEY, organizationName: 'Budget MSP' });
});
afterAll(async () => {
  await s?.close();
});

it('two processes claiming one budget never send more than it together in any second', async () => {
  const dynamo = createDynamoClient();
  const stores = [s.deps.budget, new DynamoRateBudget(createDocumentClient(dynamo), s.env.TABLE_LIMITS)];
  // Small claims, so the two processes race for the counter many times a second.
  const gates = stores.map((budget) =>
    budgetGates({ budget, clock: s.deps.clock, log: s.deps.log }, budgetSettings(s.env, 2))('msp-1', 'nightly'),
  );
  const gradient = await s.deps.gradient(KEY);
  const logBefore = s.emulator!.requestLog().length;
  const sent = [0, 0];
  const stopAt = Date.now() + RUN_MS;
  await Promise.all(
    gates.flatMap((gate, i) =>
      Array.from({ length: 3 }, async () => {
        for (;;) {
          await gate.acquire();
          if (Date.now() >= stopAt) return;
          await gradient.getOrganization();
          sent[i]! += 1;
        }
      }),
    ),
  );
  dynamo.destroy();

  const arrivals = s.emulator!.requestLog().slice(logBefore);
  const perSecond = new Map<number, number>();
  for (const e of arrivals) {
    const second = Math.floor(Date.parse(e.at) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  expect(arrivals).toHaveLength(sent[0]! + sent[1]!);
  expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(BUDGET);
  // Both got a share of it, and together they used most of it (three full seconds at least).
  expect(Math.min(...sent)).toBeGreaterThan(0);
  expect(arrivals.length).toBeGreaterThanOrEqual(3 * BUDGET * 0.8);
});
