// What Gradient holds is what we computed, on the local stack with the real worker, adapters and the
// Gradient emulator: a past-period resync undone by the next current-period run, a month start that sends only
// what moved, Gradient's older account shape without `isMapped`, and a company created and billed the same night.
// Every test ends on the values the emulator holds, against values computed by hand here.
import { disconnect, saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import type { Run, SyncRequest } from '../../lambdas/core/model';
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import { isVerificationNight } from '../../lambdas/core/sync/verification';
import { type LocalStack, startLocalStack } from '../../local/stack';

const ACCOUNTS_ROUTE = '/api/vendor-api/organization/accounts';
let seq = 0;

// Averages on the to_date basis: the values below are worked by hand on the mean of the days so far.
const service = (name: string, aggregation: 'average' | 'peak' | 'last') => ({
  name,
  description: name,
  category: 'security',
  subcategory: 'password management',
  aggregation,
  ...(aggregation === 'average' && { averageBasis: 'to_date' as const }),
});

/** One run of one partner through the real queue and worker handler. */
async function run(stack: LocalStack, partnerId: string, period: string, asOf: string): Promise<Run> {
  const request: SyncRequest = { runId: `r-${++seq}-${asOf}`, partnerId, period, asOf, full: false, trigger: 'resync' };
  await enqueueRun(stack.deps, { ...request, queuedAt: new Date() });
  await stack.queue.drain(stack.worker);
  const done = await stack.deps.runs.get(partnerId, request.runId);
  if (!done) throw new Error(`no run ${request.runId}`);
  return done;
}

/** What the emulated Gradient holds for the organization, as `account/serviceKey → count`. */
async function holds(stack: LocalStack, organizationId: string): Promise<Record<string, number>> {
  const keyOf = new Map((await stack.deps.catalog.list()).map((c) => [c.gradientServiceId, c.serviceKey]));
  return Object.fromEntries(
    stack
      .emulator!.currentCounts()
      .filter((c) => c.organizationId === organizationId)
      .map((c) => [`${c.accountId}/${keyOf.get(c.serviceId)}`, c.unitCount]),
  );
}

const receiptsOf = async (stack: LocalStack, r: Run) =>
  Object.fromEntries(
    (await stack.deps.runs.listReceipts(r.partnerId, r.runId)).map((x) => [`${x.accountId}/${x.serviceKey}`, x]),
  );

async function connect(stack: LocalStack, partnerId: string, key: string, companies: Record<string, string>) {
  for (const [id, name] of Object.entries(companies)) await upsertAccount(stack.deps, partnerId, id, { name });
  const organizationId = stack.emulator!.addPartner({
    partnerApiKey: key,
    organizationName: `${partnerId} MSP`,
    psaCompanies: Object.values(companies),
    psaProducts: ['Seats', 'Peak seats'],
  });
  await saveConnection(stack.deps, partnerId, { partnerApiKey: key });
  return organizationId;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  await upsertService(stack.deps, 'seats', service('Seats', 'average'));
  await upsertService(stack.deps, 'peak', service('Peak seats', 'peak'));
});
afterAll(async () => {
  await stack?.close();
});

describe('the diff against what Gradient holds', () => {
  const PARTNER = 'msp-held';
  let org: string;
  beforeAll(async () => {
    org = await connect(stack, PARTNER, 'held-partner-key-0123456789', { e1: 'Elm Dental', e2: 'Fir Legal' });
    const s = (accountId: string, serviceKey: string, date: string, quantity: number) => ({
      accountId,
      serviceKey,
      date,
      quantity,
    });
    await ingestUsage(stack.deps, PARTNER, [
      // February: e1 10 seats all month, peak 8; e2 3 seats.
      s('e1', 'seats', '2026-02-01', 10),
      s('e1', 'peak', '2026-02-01', 8),
      s('e2', 'seats', '2026-02-01', 3),
      // March: e1 drops to 2 seats and a peak of 5 on the 1st; e2 keeps its 3 (carried in).
      s('e1', 'seats', '2026-03-01', 2),
      s('e1', 'peak', '2026-03-01', 5),
      // April: only e2 moves, to 7 from the 1st.
      s('e2', 'seats', '2026-04-01', 7),
    ]);
  });

  it('puts the current values back on the run after a past-period resync', async () => {
    const march = await run(stack, PARTNER, '2026-03', '2026-03-15');
    expect(march.status).toBe('succeeded');
    const marchValues = { 'e1/seats': 2, 'e1/peak': 5, 'e2/seats': 3 };
    expect(await holds(stack, org)).toEqual(marchValues);

    // Resync February while March is current: Gradient now holds February's values for e1.
    await run(stack, PARTNER, '2026-02', '2026-02-28');
    expect(await holds(stack, org)).toEqual({ 'e1/seats': 10, 'e1/peak': 8, 'e2/seats': 3 });

    // The next March run: the March values did not move since March's last push, but Gradient holds February's.
    const next = await run(stack, PARTNER, '2026-03', '2026-03-16');
    expect(next.status).toBe('succeeded');
    expect(await holds(stack, org)).toEqual(marchValues);
    const receipts = await receiptsOf(stack, next);
    expect(receipts['e1/seats']).toMatchObject({ outcome: 'accepted', pushed: 2 });
    expect(receipts['e1/peak']).toMatchObject({ outcome: 'accepted', pushed: 5 });
  });

  it('starts a new period sending only the line whose value differs from what Gradient holds', async () => {
    const asOf = '2026-04-01';
    const april = await run(stack, PARTNER, '2026-04', asOf);
    expect(await holds(stack, org)).toEqual({ 'e1/seats': 2, 'e1/peak': 5, 'e2/seats': 7 });
    const receipts = await receiptsOf(stack, april);
    expect(receipts['e2/seats']).toMatchObject({ outcome: 'accepted', pushed: 7 });
    expect(receipts['e2/seats']?.detail).toBeUndefined();
    // e1's lines are quiet: skipped, unless tonight is their verification night.
    for (const line of ['e1/seats', 'e1/peak']) {
      const [accountId, serviceKey] = line.split('/') as [string, string];
      const due = isVerificationNight({ partnerId: PARTNER, accountId, serviceKey }, receipts[line]!.at);
      expect(receipts[line]).toMatchObject(
        due ? { outcome: 'accepted', detail: 'verification' } : { outcome: 'unchanged', attempts: 0 },
      );
    }
  });

  it('forgets what Gradient holds on disconnect, so a reconnect sends every line again', async () => {
    const key = 'held-partner-key-0123456789';
    await disconnect(stack.deps, PARTNER);
    stack.emulator!.disconnectPartner(key); // Gradient deletes the accounts and their counts
    expect(await stack.deps.held.list(PARTNER)).toEqual([]);
    expect(await holds(stack, org)).toEqual({});

    await saveConnection(stack.deps, PARTNER, { partnerApiKey: key });
    const again = await run(stack, PARTNER, '2026-04', '2026-04-01');
    expect(again.summary).toMatchObject({ lines: 3, sent: 3, accepted: 3, unchanged: 0 });
    expect(await holds(stack, org)).toEqual({ 'e1/seats': 2, 'e1/peak': 5, 'e2/seats': 7 });
  });
});

describe("Gradient's older account list without isMapped", () => {
  const PARTNER = 'msp-older';
  afterAll(() => stack.emulator!.setAccountShape('current'));

  it('sends every line, lets the 404 decide the unmapped company, and bills the mapped ones', async () => {
    stack.emulator!.setAccountShape('older');
    const key = 'older-partner-key-0123456789';
    for (const [id, name] of Object.entries({ o1: 'Oak Dental', o2: 'Pine Legal', o3: 'Unknown Co' })) {
      await upsertAccount(stack.deps, PARTNER, id, { name });
    }
    const org = stack.emulator!.addPartner({
      partnerApiKey: key,
      organizationName: 'Older MSP',
      psaCompanies: ['Oak Dental', 'Pine Legal'],
      psaProducts: ['Seats'],
    });
    await saveConnection(stack.deps, PARTNER, { partnerApiKey: key });
    await ingestUsage(stack.deps, PARTNER, [
      { accountId: 'o1', serviceKey: 'seats', date: '2026-11-01', quantity: 4 },
      { accountId: 'o2', serviceKey: 'seats', date: '2026-11-11', quantity: 6 },
      { accountId: 'o3', serviceKey: 'seats', date: '2026-11-01', quantity: 9 },
    ]);

    const night = await run(stack, PARTNER, '2026-11', '2026-11-20');
    expect(night.status).toBe('succeeded');
    // o1: 4 all 20 days → 4; o2: 6 for 10 of 20 days → 3; o3 is not mapped in Synthesize.
    expect(await holds(stack, org)).toEqual({ 'o1/seats': 4, 'o2/seats': 3 });
    expect(night.summary).toMatchObject({ lines: 3, sent: 3, accepted: 2, notMapped: 1, failed: 0 });
    expect((await receiptsOf(stack, night))['o3/seats']).toMatchObject({ outcome: 'not_mapped', httpStatus: 404 });
    const mappings = await stack.deps.mappings.listAccounts(PARTNER);
    expect(mappings.every((m) => m.isMapped === undefined)).toBe(true);
  });
});

describe('a company added after the save', () => {
  const PARTNER = 'msp-newco';

  it('is created by the night, mapped by Gradient on its exact PSA name, and billed that same night', async () => {
    const key = 'newco-partner-key-0123456789';
    await upsertAccount(stack.deps, PARTNER, 'n1', { name: 'Ash Dental' });
    const org = stack.emulator!.addPartner({
      partnerApiKey: key,
      organizationName: 'Newco MSP',
      psaCompanies: ['Ash Dental', 'Birch Bakery'],
      psaProducts: ['Seats'],
    });
    await saveConnection(stack.deps, PARTNER, { partnerApiKey: key });
    await upsertAccount(stack.deps, PARTNER, 'n2', { name: 'Birch Bakery' }); // after the save
    await ingestUsage(stack.deps, PARTNER, [
      { accountId: 'n1', serviceKey: 'seats', date: '2026-11-01', quantity: 2 },
      { accountId: 'n2', serviceKey: 'seats', date: '2026-11-16', quantity: 10 },
    ]);

    const logBefore = stack.emulator!.requestLog().length;
    const night = await run(stack, PARTNER, '2026-11', '2026-11-20');
    const gets = stack
      .emulator!.requestLog()
      .slice(logBefore)
      .filter((e) => e.method === 'GET' && e.route === ACCOUNTS_ROUTE);
    // One GET before creating Birch Bakery, one after for its fresh flag.
    expect(gets).toHaveLength(2);
    // n1: 2 all 20 days → 2; n2: 10 for 5 of 20 days → 2.5.
    expect(await holds(stack, org)).toEqual({ 'n1/seats': 2, 'n2/seats': 2.5 });
    expect((await receiptsOf(stack, night))['n2/seats']).toMatchObject({ outcome: 'accepted', pushed: 2.5 });

    // A night that creates nothing lists the accounts once.
    const quietBefore = stack.emulator!.requestLog().length;
    await run(stack, PARTNER, '2026-11', '2026-11-21');
    const quietGets = stack
      .emulator!.requestLog()
      .slice(quietBefore)
      .filter((e) => e.method === 'GET' && e.route === ACCOUNTS_ROUTE);
    expect(quietGets).toHaveLength(1);
  });
});
