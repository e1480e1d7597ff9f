import { createApiHandler } from '../../../../lambdas/handlers/api/app';
import { harness, lambdaContext, testLogger, testMetrics } from './support';

describe('API Gateway edge cases', () => {
  it('answers 404 route_not_found for an unknown path', async () => {
    const h = harness();
    const res = await h.call('GET', '/v2/services');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route_not_found');
  });

  it('answers 405 with Allow for a wrong method on a known path', async () => {
    const h = harness();
    const res = await h.call('DELETE', '/v1/services');
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('method_not_allowed');
    expect(res.headers.allow).toBe('GET');
    const partner = await h.call('POST', '/v1/partners/msp-1');
    expect(String(partner.headers.allow).split(', ').sort()).toEqual(['GET', 'PATCH']);
  });

  it('answers 400 invalid_json for malformed JSON and writes nothing', async () => {
    const h = harness();
    const res = await h.call('PUT', '/v1/services/seat', { raw: '{"name": "Seat",' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
    expect(h.deps.state.catalog.size).toBe(0);
  });

  it('answers 400 unsupported_content_type for a body that is not declared JSON', async () => {
    const h = harness();
    const res = await h.call('PUT', '/v1/partners/msp-1/accounts/acme', {
      raw: 'name=Acme',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unsupported_content_type');
  });

  it('accepts application/json with a charset, in any header case', async () => {
    const h = harness();
    const res = await h.call('PUT', '/v1/partners/msp-1/accounts/acme', {
      raw: JSON.stringify({ name: 'Acme' }),
      headers: { 'Content-Type': '', 'CONTENT-TYPE': 'Application/JSON; charset=utf-8' },
    });
    expect(res.status).toBe(201);
  });

  it('answers 413 body_too_large above 256 KB, before reading it', async () => {
    const h = harness();
    const res = await h.call('POST', '/v1/partners/msp-1/usage', { raw: `{"snapshots":"${'x'.repeat(256 * 1024)}"}` });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
  });

  it('reads base64-encoded bodies', async () => {
    const h = harness();
    const res = await h.call('PUT', '/v1/partners/msp-1/accounts/acme', { body: { name: 'Acme' }, base64: true });
    expect(res.status).toBe(201);
  });

  it('tolerates a trailing slash and decodes percent-encoded path segments once', async () => {
    const h = harness();
    expect((await h.call('GET', '/v1/services/')).status).toBe(200);
    const res = await h.call('PUT', '/v1/partners/msp-1/accounts/acme%2Eeu', { body: { name: 'Acme EU' } });
    expect(res.status).toBe(201);
    expect(res.body.accountId).toBe('acme.eu');
    const bad = await h.call('PUT', '/v1/partners/msp-1/accounts/%E0%A4%A', { body: { name: 'x' } });
    expect(bad.status).toBe(400);
  });

  it('answers 500 internal_error without details when the dependencies fail', async () => {
    const handler = createApiHandler(
      async () => {
        throw new Error('DynamoDB is down: secret-ish detail');
      },
      { logger: testLogger(false), metrics: testMetrics(false) },
    );
    const { apiEvent } = await import('./support');
    const res = await handler(apiEvent('GET', '/v1/services'), lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body).error.code).toBe('internal_error');
    expect(res.body).not.toContain('secret-ish');
  });

  it('serves the OpenAPI document', async () => {
    const h = harness();
    const res = await h.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
  });
});
