import { type ApiServer, startApiServer } from '../../../local/api-server';
import { harness, PARTNER_KEY } from '../handlers/api/support';

let server: ApiServer;
let h: ReturnType<typeof harness>;

beforeEach(async () => {
  h = harness();
  h.gradientFor();
  server = await startApiServer({ port: 0, host: '127.0.0.1', handler: h.handler as never });
});
afterEach(async () => {
  await server.close();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

describe('local API server', () => {
  it('serves the handler over loopback HTTP: intake, save, sync mappings, resync and the run', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(
      (
        await call('PUT', '/v1/services/business-seat', {
          name: 'Business Seat',
          description: 'Seat',
          category: 'security',
          subcategory: 'password management',
          aggregation: 'average',
        })
      ).status,
    ).toBe(201);
    expect((await call('PUT', '/v1/partners/msp-1/accounts/acme%2Eeu', { name: 'Acme EU' })).status).toBe(201);
    expect((await call('POST', '/v1/partners/msp-1/connection/test', { partnerApiKey: PARTNER_KEY })).body.ok).toBe(
      true,
    );
    const saved = await call('PUT', '/v1/partners/msp-1/connection', { partnerApiKey: PARTNER_KEY });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const sync = await call('POST', '/v1/partners/msp-1/mappings/sync');
    expect(sync.body.unmapped).toEqual([{ accountId: 'acme.eu', name: 'Acme EU' }]);
    const queued = await call('POST', '/v1/partners/msp-1/resync', {});
    expect(queued.status).toBe(202);
    const run = await call('GET', `/v1/partners/msp-1/runs/${queued.body.runId}`);
    expect(run.body).toMatchObject({ status: 'queued', lines: [] });
    const runs = await call('GET', '/v1/partners/msp-1/runs?limit=5');
    expect(runs.body.runs).toHaveLength(1);
    expect((await call('DELETE', '/v1/partners/msp-1/connection')).status).toBe(204);
  });

  it('passes query strings decoded and answers unknown routes with 404 JSON', async () => {
    // %31 is "1": valid once decoded, so the answer is about the unknown partner, not the query.
    expect((await call('GET', '/v1/partners/nobody/runs?limit=%31')).status).toBe(404);
    expect((await call('GET', '/v1/partners/nobody/runs?limit=abc')).status).toBe(400);
    const res = await call('GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route_not_found');
  });

  it('logs one line per request: method, path, status and milliseconds, never the body or the query', async () => {
    const lines: string[] = [];
    const logged = await startApiServer({
      port: 0,
      host: '127.0.0.1',
      handler: h.handler as never,
      log: (l) => lines.push(l),
    });
    try {
      await fetch(`${logged.url}/v1/partners/acme-42/connection`, {
        method: 'PUT',
        body: JSON.stringify({ partnerApiKey: PARTNER_KEY }),
        headers: { 'content-type': 'application/json' },
      });
      await fetch(`${logged.url}/v1/partners/acme-42/runs?limit=5`);
      await fetch(`${logged.url}/nowhere`);
    } finally {
      await logged.close();
    }
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^PUT \/v1\/partners\/acme-42\/connection \d{3} \d+ms$/);
    expect(lines[1]).toMatch(/^GET \/v1\/partners\/acme-42\/runs \d{3} \d+ms$/);
    expect(lines[2]).toMatch(/^GET \/nowhere 404 \d+ms$/);
    expect(lines.join('\n')).not.toContain(PARTNER_KEY);
  });
});
