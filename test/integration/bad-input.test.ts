// Bad input on the real local stack (dynalite, the Secrets Manager emulator, the Gradient emulator) through the API
// over loopback: each request the security review found answering 500 or writing half gets a 400 and changes
// nothing anywhere: not Gradient, not our tables, not Secrets Manager.

import { Logger } from '@aws-lambda-powertools/logger';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerClient } from '../../lambdas/adapters/secrets-key-store';
import { createApiHandler } from '../../lambdas/handlers/api/app';
import { type ApiServer, startApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { jsonCaller } from '../support/json-call';
import { testMetrics } from '../unit/handlers/api/support';

const KEY = 'pk_bad_input_4c3b2a1908f7e6d5';

let stack: LocalStack;
let api: ApiServer;
let organizationId: string;

beforeAll(async () => {
  stack = await startLocalStack();
  const handler = createApiHandler(async () => ({ ...stack.apiProcess, deps: stack.deps }), {
    logger: new Logger({ serviceName: 'bad-input', logLevel: 'SILENT' }),
    metrics: testMetrics(false),
  });
  api = await startApiServer({ port: 0, host: '127.0.0.1', handler: handler as never });
  organizationId = stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Colon MSP',
    psaCompanies: ['Acme Corp'],
    psaProducts: ['Business Seat'],
  });
  const service = {
    name: 'Business Seat',
    description: 'Seat',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'peak',
  };
  expect((await call('PUT', '/v1/services/business-seat', service)).status).toBe(201);
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const call = jsonCaller(() => api.url);

/** Everything a request could have changed: Gradient's side, our partner records and the secrets. */
async function everything(partnerIds: string[]) {
  const secrets = createSecretsManagerClient();
  try {
    const listed = await secrets.send(new ListSecretsCommand({}));
    return {
      gradientRequests: stack.emulator!.requestLog().length,
      gradientServices: stack.emulator!.services(),
      gradientAccounts: stack.emulator!.accounts(organizationId),
      partners: await Promise.all(partnerIds.map((id) => stack.deps.partners.get(id))),
      secrets: (listed.SecretList ?? []).map((s) => s.Name).sort(),
    };
  } finally {
    secrets.destroy();
  }
}

describe('a partner id with ":" (not valid in a Secrets Manager name)', () => {
  it('is refused with 400 on save, and nothing changed in Gradient, the partner record or the secrets', async () => {
    const before = await everything(['acme:1']);
    const res = await call('PUT', '/v1/partners/acme:1/connection', { partnerApiKey: KEY });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'partnerId' }] });
    expect(await everything(['acme:1'])).toEqual(before);
  });

  it('is refused for accounts and usage too, so no data can pile up under an id that can never connect', async () => {
    expect((await call('PUT', '/v1/partners/acme:1/accounts/cust-1', { name: 'Acme Corp' })).status).toBe(400);
    expect((await call('PUT', '/v1/partners/acme-1/accounts/cust:1', { name: 'Acme Corp' })).status).toBe(400);
    expect(await stack.deps.accounts.list('acme:1')).toEqual([]);
  });
});

describe('numbers the store cannot hold', () => {
  it('refuses the batch [acc1 q=5, acc9 q=1e308] with 400 and writes neither snapshot', async () => {
    for (const id of ['acc1', 'acc9']) {
      expect((await call('PUT', `/v1/partners/num-msp/accounts/${id}`, { name: id })).status).toBe(201);
    }
    const date = new Date().toISOString().slice(0, 10);
    const res = await fetch(`${api.url}/v1/partners/num-msp/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"snapshots":[{"accountId":"acc1","serviceKey":"business-seat","date":"${date}","quantity":5},{"accountId":"acc9","serviceKey":"business-seat","date":"${date}","quantity":1e308}]}`,
    });
    expect(res.status).toBe(400);
    expect(await stack.deps.usage.linesForPeriod('num-msp', date.slice(0, 7))).toEqual([]);
  });

  it.each(['1e20', '1e308', '5e-324'])('refuses unitScale %s with 400 and stores no service', async (unitScale) => {
    const res = await fetch(`${api.url}/v1/services/storage-${unitScale.replace(/\W/g, '')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: `{"name":"Storage","description":"d","category":"security","subcategory":"password management","aggregation":"sum","unitScale":${unitScale}}`,
    });
    expect(res.status).toBe(400);
    expect((await stack.deps.catalog.list()).map((s) => s.serviceKey)).toEqual(['business-seat']);
  });
});

describe('usage for an unknown partner or an unregistered account', () => {
  const today = () => new Date().toISOString().slice(0, 10);
  const seatOn = (accountId: string, serviceKey = 'business-seat') => ({
    accountId,
    serviceKey,
    date: today(),
    quantity: 3,
  });

  it('answers 404 for a partner with neither accounts nor a connection', async () => {
    const res = await call('POST', '/v1/partners/nobody-msp/usage', { snapshots: [seatOn('cust-1')] });
    expect(res.status).toBe(404);
    expect(await stack.deps.usage.linesForPeriod('nobody-msp', today().slice(0, 7))).toEqual([]);
  });

  it('answers 400 listing the unregistered accounts and unknown services, and writes nothing', async () => {
    expect((await call('PUT', '/v1/partners/reg-msp/accounts/cust-1', { name: 'Acme Corp' })).status).toBe(201);
    const res = await call('POST', '/v1/partners/reg-msp/usage', {
      snapshots: [seatOn('cust-1'), seatOn('cust-2'), seatOn('cust-3', 'storage-gb')],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'snapshots.1.accountId',
      'snapshots.2.accountId',
      'snapshots.2.serviceKey',
    ]);
    expect(await stack.deps.usage.linesForPeriod('reg-msp', today().slice(0, 7))).toEqual([]);
  });
});

describe('a resync further back than RESYNC_MAX_CLOSED_PERIODS', () => {
  it('is refused with 400 naming the limit (default 1: the previous month), and no run is queued', async () => {
    expect((await call('PUT', '/v1/partners/resync-msp/accounts/cust-1', { name: 'Acme Corp' })).status).toBe(201);
    expect((await call('PUT', '/v1/partners/resync-msp/connection', { partnerApiKey: KEY })).status).toBe(200);
    const [year, month] = new Date().toISOString().slice(0, 7).split('-').map(Number);
    const back = (n: number) => {
      const m = year! * 12 + (month! - 1) - n;
      return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    };
    expect(stack.env.RESYNC_MAX_CLOSED_PERIODS).toBe(1);
    const res = await call('POST', '/v1/partners/resync-msp/resync', { period: back(2) });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].message).toMatch(/at most 1 closed period\(s\) \(RESYNC_MAX_CLOSED_PERIODS\)/);
    expect(await stack.deps.runs.list('resync-msp', 10)).toEqual([]);
    expect((await call('POST', '/v1/partners/resync-msp/resync', { period: back(1) })).status).toBe(202);
  });
});
