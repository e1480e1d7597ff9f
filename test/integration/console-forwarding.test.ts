// The vendor's forwarding route (client/forwarding.ts) in front of the API served over the local stack: only
// the card's calls pass, only for a partner the user may manage, signed, and the API's answer comes back as is.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { GradientSyncClient } from '../../client';
import { cardForwarder } from '../../client/forwarding';
import { createApiHandler } from '../../lambdas/handlers/api/app';
import { type ApiServer, type ProxyHandler, startApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { testMetrics } from '../unit/handlers/api/support';

let stack: LocalStack;
let api: ApiServer;
let vendor: ReturnType<typeof createServer>;
let vendorUrl: string;
const reached: Array<{ method: string; path: string; authorization?: string }> = [];

beforeAll(async () => {
  stack = await startLocalStack();
  const handler = createApiHandler(async () => ({ ...stack.apiProcess, deps: stack.deps }), {
    logger: new Logger({ serviceName: 'forwarding', logLevel: 'SILENT' }),
    metrics: testMetrics(false),
  }) as unknown as ProxyHandler;
  api = await startApiServer({
    port: 0,
    handler: (event, context) => {
      const authorization = event.headers['authorization'];
      reached.push({ method: event.httpMethod, path: event.path, ...(authorization && { authorization }) });
      return handler(event, context);
    },
  });
  const client = new GradientSyncClient({
    baseUrl: api.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  });
  const forward = cardForwarder({
    client,
    prefix: '/gradient',
    authorize: async (req, partnerId) => req.headers['x-user'] === 'admin' && partnerId !== 'someone-else',
  });
  vendor = createServer((req, res) => {
    void forward(req, res).then((handled) => {
      if (!handled) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/gradient`;
});

afterAll(async () => {
  vendor?.closeAllConnections();
  await new Promise((resolve) => vendor?.close(resolve));
  await api?.close();
  await stack?.close();
});

beforeEach(() => {
  reached.length = 0;
});

const viaVendor = (method: string, path: string, body?: unknown) =>
  fetch(`${vendorUrl}${path}`, {
    method,
    headers: { 'x-user': 'admin', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

it("forwards the card's call signed and relays the API's answer", async () => {
  const res = await viaVendor('GET', '/v1/partners/acme-42/runs?limit=2');
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  expect(reached).toEqual([
    {
      method: 'GET',
      path: '/v1/partners/acme-42/runs',
      authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\//),
    },
  ]);
});

it("relays the API's validation answer to a bad body, sent as the card sent it", async () => {
  const res = await viaVendor('PUT', '/v1/partners/acme-42/connection', { partnerApiKey: 'has spaces' });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  expect(reached).toHaveLength(1);
});

it('refuses a partner the user may not manage without calling the API', async () => {
  const res = await viaVendor('GET', '/v1/partners/someone-else');
  expect(res.status).toBe(403);
  expect(reached).toEqual([]);
});

it("forwards the statement page's calls, the CSV's query included", async () => {
  const res = await viaVendor('GET', '/v1/partners/acme-42/statements/2026-11?format=csv');
  expect(res.status).toBe(404); // the partner does not exist here: the API's own answer, relayed
  expect(reached).toEqual([
    expect.objectContaining({ method: 'GET', path: '/v1/partners/acme-42/statements/2026-11' }),
  ]);
  reached.length = 0;
  expect((await viaVendor('GET', '/v1/partners/acme-42/unmapped?period=2026-11')).status).toBe(404);
  expect(reached).toHaveLength(1);
  reached.length = 0;
  expect((await viaVendor('GET', '/v1/partners')).status).toBe(404); // the fleet is not an MSP's page
  expect(reached).toEqual([]);
});

it("answers 404 to a route that is not the card's, without calling the API", async () => {
  const res = await viaVendor('PUT', '/v1/partners/acme-42/accounts/c1', { name: 'x' });
  expect(res.status).toBe(404);
  expect(reached).toEqual([]);
});

it('leaves requests outside its prefix to the rest of the vendor backend', async () => {
  const res = await fetch(`${vendorUrl.replace('/gradient', '')}/dashboard`);
  expect(res.status).toBe(418);
});
