// The fleet on the local stack, through the real API handler over HTTP and the DynamoDB partner
// repository's activity index: three partners in different states — one connected by a real run, one pending
// with an unmapped account, one disconnected — listed latest activity first, two a page, by status, and the
// counts stored on each record by the run and the account reconciliation.
import { disconnect, saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { todayUtc } from '../../lambdas/core/period';
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startStackApi } from '../support/stack-api';

let stack: LocalStack;
let api: ApiServer;

type Fleet = { partners?: Array<Record<string, unknown>>; nextCursor?: string };
async function fleet(query = '') {
  const res = await fetch(`${api.url}/v1/partners${query}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Fleet };
}
const ids = (f: Fleet) => (f.partners ?? []).map((p) => p.partnerId);
/** Each step is a later activity than the one before (records are ordered by their write time). */
const nextMillisecond = async () => {
  const at = Date.now();
  while (Date.now() === at) await new Promise((r) => setTimeout(r, 1));
};

async function connect(partnerId: string, accounts: Array<[string, string]>, psaCompanies: string[]) {
  const key = `${partnerId}-key-0123456789abcdef`;
  for (const [accountId, name] of accounts) await upsertAccount(stack.deps, partnerId, accountId, { name });
  stack.emulator!.addPartner({
    partnerApiKey: key,
    organizationName: `${partnerId} MSP`,
    psaCompanies,
    psaProducts: ['Seats'],
  });
  await saveConnection(stack.deps, partnerId, { partnerApiKey: key, roundingPolicy: 'up' });
}

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  api = await startStackApi(stack, 'fleet');
  await upsertService(stack.deps, 'seats', {
    name: 'Seats',
    description: 'Seats',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'peak',
  });

  await connect('fleet-gone', [['g1', 'Gone Dental']], ['Gone Dental']);
  await nextMillisecond();
  await disconnect(stack.deps, 'fleet-gone');
  await nextMillisecond();
  // Two accounts, one of them spelled differently in the PSA: one unmapped.
  await connect(
    'fleet-pending',
    [
      ['p1', 'Pine Legal'],
      ['p2', 'Pear Farms'],
    ],
    ['Pine Legal', 'PEAR FARMS'],
  );
  await nextMillisecond();
  await connect('fleet-live', [['l1', 'Lime Motors']], ['Lime Motors']);
  const today = todayUtc(new Date());
  await ingestUsage(stack.deps, 'fleet-live', [{ accountId: 'l1', serviceKey: 'seats', date: today, quantity: 4 }]);
  await enqueueRun(stack.deps, {
    runId: '20990101T000001Z-r-fleet',
    partnerId: 'fleet-live',
    period: today.slice(0, 7),
    asOf: today,
    full: false,
    trigger: 'resync',
    queuedAt: new Date(),
  });
  await stack.queue.drain(stack.worker);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

it('lists every partner latest activity first, two a page, the second page without a cursor', async () => {
  const first = await fleet('?limit=2');
  expect(first.status).toBe(200);
  expect(ids(first.body)).toEqual(['fleet-live', 'fleet-pending']);
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await fleet(`?limit=2&cursor=${first.body.nextCursor}`);
  expect(ids(second.body)).toEqual(['fleet-gone']);
  expect(second.body.nextCursor).toBeUndefined();
});

it('shows each partner’s state and the counts stored on its record', async () => {
  const { body } = await fleet('?limit=3');
  const [live, pending, gone] = body.partners ?? [];
  const run = (await stack.deps.runs.get('fleet-live', '20990101T000001Z-r-fleet'))!;
  expect(live).toEqual({
    partnerId: 'fleet-live',
    organizationName: 'fleet-live MSP',
    status: 'connected',
    statusReason: null,
    lastRun: { id: run.runId, status: 'succeeded', finishedAt: run.finishedAt, summary: run.summary },
    lastAcceptedAt: run.finishedAt,
    unmappedAccounts: 0,
    failedLines: 0,
    pendingSince: null,
  });
  expect(run.summary.accepted).toBe(1);
  const pendingRecord = (await stack.deps.partners.get('fleet-pending'))!;
  expect(pending).toMatchObject({
    status: 'pending',
    lastRun: null,
    lastAcceptedAt: null,
    unmappedAccounts: 1,
    failedLines: 0,
    pendingSince: pendingRecord.connectedAt,
  });
  expect(gone).toMatchObject({ partnerId: 'fleet-gone', status: 'disconnected', pendingSince: null });
});

it('filters by status, pages within the filter, and refuses a bad status or cursor', async () => {
  expect(ids((await fleet('?status=pending')).body)).toEqual(['fleet-pending']);
  const connected = await fleet('?status=connected&limit=1');
  expect(ids(connected.body)).toEqual(['fleet-live']);
  expect(connected.body.nextCursor).toBeUndefined();
  expect(ids((await fleet('?status=auth_failed')).body)).toEqual([]);
  const notLive = await fleet(`?status=disconnected&limit=1`);
  expect(ids(notLive.body)).toEqual(['fleet-gone']);
  expect((await fleet('?status=sleeping')).status).toBe(400);
  expect((await fleet('?cursor=bogus')).status).toBe(400);
  expect((await fleet('?limit=0')).status).toBe(400);
});
