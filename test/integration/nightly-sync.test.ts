// The nightly sync end to end on the local stack: real planner and worker handlers, real DynamoDB and
// Secrets Manager adapters (dynalite, emulator), the real Gradient client against the Gradient emulator.
import { saveConnection, syncMappings } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { shiftedClock } from '../support/shifted-clock';

const PARTNER = 'msp-e2e';
const KEY = 'e2e-partner-key-abcdef0123456789';
// The planner computes as of the day before the tick: 2026-11-15, period 2026-11 (15 days so far).
const TICK = new Date('2026-11-16T02:00:00.000Z');

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: { perSecond: 100 } }, queue: { visibilityTimeoutMs: 10 } });
  const { deps } = stack;
  const service = (name: string, aggregation: 'average' | 'sum', unitScale?: number) => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    aggregation,
    ...(unitScale && { unitScale }),
    // The hand-computed values below are means of the days so far.
    ...(aggregation === 'average' && { averageBasis: 'to_date' as const }),
  });
  await upsertService(deps, 'seats', service('Seats', 'average'));
  await upsertService(deps, 'storage', service('Storage (GB)', 'average', 1e9));
  await upsertService(deps, 'scans', service('Scans', 'sum'));
  for (const [id, name] of [
    ['acct-a', 'Acme Dental'],
    ['acct-b', 'Birch Legal'],
    ['acct-c', 'Cedar Motors'],
  ]) {
    await upsertAccount(deps, PARTNER, id!, { name: name! });
  }
  const s = (accountId: string, serviceKey: string, date: string, quantity: number) => ({
    accountId,
    serviceKey,
    date,
    quantity,
  });
  await ingestUsage(deps, PARTNER, [
    s('acct-a', 'seats', '2026-10-20', 10),
    s('acct-a', 'seats', '2026-11-06', 20),
    s('acct-b', 'seats', '2026-11-11', 3),
    s('acct-c', 'seats', '2026-11-01', 7),
    s('acct-a', 'storage', '2026-10-02', 5e9),
    s('acct-a', 'scans', '2026-10-30', 4),
    s('acct-a', 'scans', '2026-11-03', 2),
    s('acct-a', 'scans', '2026-11-14', 1),
    s('acct-a', 'scans', '2026-11-16', 5),
    s('acct-b', 'scans', '2026-10-12', 2),
  ]);
  // The PSA knows "Cedar Motors Inc.", not "Cedar Motors": that company stays unmapped.
  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'E2E MSP',
    psaCompanies: ['Acme Dental', 'Birch Legal', 'Cedar Motors Inc.'],
    psaProducts: ['Seats', 'Storage (GB)', 'Scans'],
  });
  await saveConnection(deps, PARTNER, { partnerApiKey: KEY });
  await syncMappings(deps, PARTNER);
});

afterAll(async () => {
  await stack?.close();
});

async function nightly(at: Date) {
  // The worker runs on the night of the tick, whatever day the test runs (the verification night is that day).
  stack.deps.clock = shiftedClock(at.toISOString().slice(0, 10));
  const plan = await stack.planner(at);
  await stack.queue.drain(stack.worker);
  const run = await stack.deps.runs.get(PARTNER, plan.runId);
  return { plan, run: run! };
}

describe('the nightly sync on the local stack', () => {
  it('pushes exactly the hand-computed values and records the unmapped company as not mapped', async () => {
    const { plan, run } = await nightly(TICK);
    expect(plan).toMatchObject({ period: '2026-11', asOf: '2026-11-15', full: false, enqueued: 1 });

    const serviceId = new Map((await stack.deps.catalog.list()).map((c) => [c.gradientServiceId!, c.serviceKey]));
    const received = Object.fromEntries(
      stack.emulator!.currentCounts().map((c) => [`${c.accountId}/${serviceId.get(c.serviceId)}`, c.unitCount]),
    );
    expect(received).toEqual({
      // 10 seats carried in from October for days 1–5, 20 from the 6th: (5×10 + 10×20) / 15.
      'acct-a/seats': 16.6667,
      // 3 seats from the 11th: 5 of 15 days → 15 / 15.
      'acct-b/seats': 1,
      // 5e9 bytes carried in all month → 5 GB.
      'acct-a/storage': 5,
      // Metered: 2 + 1 in the period; October's 4 and the 16th's 5 (after the as-of date) do not count.
      'acct-a/scans': 3,
      // Used last month only: a line worth 0, pushed as 0.
      'acct-b/scans': 0,
    });
    expect(run.status).toBe('succeeded');
    expect(run.summary).toEqual({ lines: 6, sent: 5, accepted: 5, notMapped: 1, unchanged: 0, failed: 0 });
    const receipts = await stack.deps.runs.listReceipts(PARTNER, plan.runId);
    expect(receipts.find((r) => r.accountId === 'acct-c')).toMatchObject({ outcome: 'not_mapped', computed: 7 });
    expect((await stack.deps.partners.get(PARTNER))?.status).toBe('connected');
    expect(stack.emulator!.stats().builds).toBe(1);
  });

  it('sends nothing on a second night when no value changed', async () => {
    const before = stack.emulator!.counts().length;
    const { run } = await nightly(new Date('2026-11-16T03:00:00.000Z'));
    expect(stack.emulator!.counts().length).toBe(before);
    expect(run.summary).toMatchObject({ lines: 6, sent: 0, unchanged: 5, notMapped: 1 });
  });

  it('moves a message that can never succeed to the dead-letter list after the last delivery', async () => {
    await stack.queue.send({ not: 'a sync request' } as never);
    await stack.queue.drain(stack.worker);
    expect(stack.queue.deadLetters).toHaveLength(1);
    expect(stack.queue.deadLetters[0]!.receiveCount).toBe(5);
  });
});
