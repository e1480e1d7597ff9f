// The whole MSP setup over real HTTP: the API handler served by the local API server over the embedded local
// stack (dynalite, Secrets Manager emulator, Gradient emulator, in-process queue running the real worker).
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { jsonCaller } from '../support/json-call';
import { startStackApi } from '../support/stack-api';

const KEY = 'pk_flow_5e1d0c9b8a7f6e5d4c3b2a19';

let stack: LocalStack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startLocalStack();
  stack.queue.startAutoDrain(stack.worker);
  api = await startStackApi(stack, 'api-flow');
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const call = jsonCaller(() => api.url);

it('catalog, accounts, usage, test, save, sync mappings, resync, run, and the counts arrive in Gradient', async () => {
  const organizationId = stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Flow MSP',
    psaCompanies: ['Acme Corp'],
    psaProducts: ['Business Seat'],
  });
  const service = {
    name: 'Business Seat',
    description: 'Seat of the business plan',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'last',
  };
  expect((await call('PUT', '/v1/services/business-seat', service)).status).toBe(201);
  expect((await call('PUT', '/v1/partners/flow-msp/accounts/acme', { name: 'Acme Corp' })).status).toBe(201);
  expect((await call('PUT', '/v1/partners/flow-msp/accounts/globex', { name: 'Globex' })).status).toBe(201);
  const today = new Date().toISOString().slice(0, 10);
  const usage = await call('POST', '/v1/partners/flow-msp/usage', {
    snapshots: [
      { accountId: 'acme', serviceKey: 'business-seat', date: today, quantity: 17 },
      { accountId: 'globex', serviceKey: 'business-seat', date: today, quantity: 4 },
    ],
  });
  expect(usage.body).toEqual({ written: 2 });

  const test = await call('POST', '/v1/partners/flow-msp/connection/test', { partnerApiKey: KEY });
  expect(test.body).toMatchObject({ ok: true, organization: { organizationId, name: 'Flow MSP' } });
  const rejected = await call('PUT', '/v1/partners/flow-msp/connection', { partnerApiKey: 'pk_unknown' });
  expect(rejected.status).toBe(422);
  // The rejected key changes nothing: the partner is still known only by the accounts registered above.
  const before = await call('GET', '/v1/partners/flow-msp');
  expect(before.status).toBe(200);
  expect(before.body).toMatchObject({ status: 'not_connected' });
  expect(before.body.organizationName).toBeUndefined();

  const saved = await call('PUT', '/v1/partners/flow-msp/connection', { partnerApiKey: KEY });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ status: 'pending', organizationName: 'Flow MSP' });

  // Exact-name matches map automatically in Synthesize: Acme Corp does, Globex does not.
  const sync = await call('POST', '/v1/partners/flow-msp/mappings/sync');
  expect(sync.body).toMatchObject({
    existing: 2,
    created: 0,
    mapped: 1,
    unmapped: [{ accountId: 'globex', name: 'Globex' }],
  });

  const queued = await call('POST', '/v1/partners/flow-msp/resync', {});
  expect(queued.status).toBe(202);
  let run = await call('GET', `/v1/partners/flow-msp/runs/${queued.body.runId}`);
  for (let i = 0; i < 100 && (run.body.status === 'queued' || run.body.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    run = await call('GET', `/v1/partners/flow-msp/runs/${queued.body.runId}`);
  }
  expect(run.body).toMatchObject({ status: 'succeeded', summary: { lines: 2, accepted: 1, notMapped: 1 } });
  expect(run.body.lines.map((l: { accountId: string; outcome: string }) => [l.accountId, l.outcome])).toEqual([
    ['acme', 'accepted'],
    ['globex', 'not_mapped'],
  ]);

  const counts = (await (await fetch(`${stack.gradientUrl}/__emulator/counts`)).json()) as {
    current: Array<{ organizationId: string; accountId: string; unitCount: number }>;
  };
  expect(counts.current.filter((c) => c.organizationId === organizationId)).toEqual([
    expect.objectContaining({ accountId: 'acme', unitCount: 17 }),
  ]);

  expect((await call('DELETE', '/v1/partners/flow-msp/connection')).status).toBe(204);
  expect((await call('POST', '/v1/partners/flow-msp/resync')).status).toBe(409);
});
