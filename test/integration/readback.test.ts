// The read-back routes over real HTTP on the local stack: the accounts page by page, one line's stored and
// metered days with the value the sync computes, and an account's push history across runs.
import { previousPeriod, todayUtc } from '../../lambdas/core/period';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { jsonCaller } from '../support/json-call';
import { startStackApi } from '../support/stack-api';

const KEY = 'pk_readback_5e1d0c9b8a7f6e5d4c3b2a19';
const PERIOD = previousPeriod(todayUtc(new Date()).slice(0, 7));

let stack: LocalStack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startLocalStack();
  stack.queue.startAutoDrain(stack.worker);
  api = await startStackApi(stack, 'readback');

  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Readback MSP',
    psaCompanies: ['Acme Corp', 'Globex', 'Initech'],
    psaProducts: ['Business Seat'],
  });
  const service = { name: 'Business Seat', description: 'Seat', category: 'security' };
  await call('PUT', '/v1/services/seat', {
    ...service,
    subcategory: 'password management',
    aggregation: 'last',
  });
  for (const [id, name] of [
    ['acme', 'Acme Corp'],
    ['globex', 'Globex'],
    ['initech', 'Initech'],
  ]) {
    await call('PUT', `/v1/partners/rb/accounts/${id}`, { name });
  }
  await call('POST', '/v1/partners/rb/usage', {
    snapshots: [
      { accountId: 'acme', serviceKey: 'seat', date: `${PERIOD}-03`, quantity: 5 },
      { accountId: 'acme', serviceKey: 'seat', date: `${PERIOD}-10`, quantity: 8 },
      { accountId: 'globex', serviceKey: 'seat', date: `${PERIOD}-04`, quantity: 2 },
    ],
  });
  expect((await call('PUT', '/v1/partners/rb/connection', { partnerApiKey: KEY })).status).toBe(200);
  await call('POST', '/v1/partners/rb/mappings/sync');
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const call = jsonCaller(() => api.url);

async function resyncAndWait(full: boolean): Promise<string> {
  const queued = await call('POST', '/v1/partners/rb/resync', { period: PERIOD, full });
  expect(queued.status).toBe(202);
  let run = await call('GET', `/v1/partners/rb/runs/${queued.body.runId}`);
  for (let i = 0; i < 200 && (run.body.status === 'queued' || run.body.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    run = await call('GET', `/v1/partners/rb/runs/${queued.body.runId}`);
  }
  expect(run.body.status).toBe('succeeded');
  return queued.body.runId;
}

describe('a partner known only by the accounts the vendor registered', () => {
  it('reads back its accounts and reads as not connected; an unknown partner stays 404', async () => {
    expect((await call('PUT', '/v1/partners/fd/accounts/a1', { name: 'First Draft' })).status).toBe(201);
    const accounts = await call('GET', '/v1/partners/fd/accounts');
    expect(accounts.status).toBe(200);
    expect(accounts.body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['a1']);
    const partner = await call('GET', '/v1/partners/fd');
    expect(partner.status).toBe(200);
    expect(partner.body).toMatchObject({
      partnerId: 'fd',
      status: 'not_connected',
      roundingPolicy: 'none',
      mappings: { accounts: 0, mappedAccounts: 0, unmappedAccounts: 0, services: 0 },
    });
    // A read writes nothing: the partner still has no record, and no nightly would plan it.
    expect(await stack.deps.partners.get('fd')).toBeUndefined();
    expect((await call('GET', '/v1/partners/nobody')).status).toBe(404);
    expect((await call('GET', '/v1/partners/nobody/accounts')).status).toBe(404);
  });
});

it('lists the accounts a page at a time, the next page from the cursor', async () => {
  const first = await call('GET', '/v1/partners/rb/accounts?limit=2');
  expect(first.status).toBe(200);
  expect(first.body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['acme', 'globex']);
  expect(first.body.next).toBe('globex');
  const second = await call('GET', `/v1/partners/rb/accounts?limit=2&cursor=${first.body.next}`);
  expect(second.body).toEqual({ accounts: [expect.objectContaining({ accountId: 'initech', name: 'Initech' })] });
  expect((await call('GET', '/v1/partners/nobody/accounts')).status).toBe(404);
  expect((await call('GET', '/v1/partners/rb/accounts?limit=0')).status).toBe(400);
});

it("reads a line's stored days, the state in force each metered day and the value the sync computes", async () => {
  const res = await call('GET', `/v1/partners/rb/usage?accountId=acme&serviceKey=seat&period=${PERIOD}`);
  expect(res.status).toBe(200);
  const { stored, metered, ...rest } = res.body;
  expect(stored).toEqual([
    { date: `${PERIOD}-03`, quantity: 5 },
    { date: `${PERIOD}-10`, quantity: 8 },
  ]);
  expect(rest).toMatchObject({ aggregation: 'last', asOf: metered.at(-1).date, value: { computed: 8, pushed: 8 } });
  // Before the first stored day the line counts 0, as the sync computes it (no carry-in here).
  expect(metered[0]).toEqual({ date: `${PERIOD}-01`, quantity: 0 });
  expect(metered[2]).toEqual({ date: `${PERIOD}-03`, quantity: 5 });
  expect(metered.find((d: { date: string }) => d.date === `${PERIOD}-09`).quantity).toBe(5);
  expect(metered.find((d: { date: string }) => d.date === `${PERIOD}-10`).quantity).toBe(8);
  expect(metered.at(-1).quantity).toBe(8);
  expect(rest.carryIn).toBeUndefined();

  expect((await call('GET', `/v1/partners/rb/usage?accountId=nobody&serviceKey=seat`)).status).toBe(404);
  expect((await call('GET', `/v1/partners/rb/usage?accountId=acme&serviceKey=nothing`)).status).toBe(404);
  expect((await call('GET', `/v1/partners/rb/usage?accountId=acme&serviceKey=seat&period=2099-01`)).status).toBe(400);
  expect((await call('GET', `/v1/partners/rb/usage?serviceKey=seat`)).status).toBe(400);
});

it('shows what was pushed per service of one account over the runs, newest run first', async () => {
  const first = await resyncAndWait(false);
  // Run ids carry the second they were queued in (newest first sorts on them): let the second run start later.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const second = await resyncAndWait(true);
  const res = await call('GET', '/v1/partners/rb/accounts/acme/history');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ accountId: 'acme', runsRead: 2 });
  expect(res.body.services).toHaveLength(1);
  const [seat] = res.body.services;
  expect(seat.serviceKey).toBe('seat');
  expect(
    seat.entries.map((e: { runId: string; pushed: number; outcome: string; period: string }) => [
      e.runId,
      e.pushed,
      e.outcome,
      e.period,
    ]),
  ).toEqual([
    [second, 8, 'accepted', PERIOD],
    [first, 8, 'accepted', PERIOD],
  ]);
  const globex = await call('GET', '/v1/partners/rb/accounts/globex/history?limit=1');
  expect(globex.body).toMatchObject({ runsRead: 1, services: [{ serviceKey: 'seat', entries: [{ runId: second }] }] });
  expect((await call('GET', '/v1/partners/rb/accounts/nobody/history')).status).toBe(404);
});
