// Disconnect, then reconnect at once, over the API on the local stack whose Secrets Manager completes a forced
// deletion asynchronously, as AWS does (docs/deploy.md, "Rotating a partner key"): the reconnect succeeds.
import { type ApiServer, startApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { jsonCaller } from '../support/json-call';

const PARTNER = 'msp-reconnect';
const KEY = 'reconnect-partner-key-0123456789';

let stack: LocalStack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startLocalStack({ secrets: { forceDeleteDelayMs: 300 } });
  api = await startApiServer({ port: 0, host: '127.0.0.1', handler: stack.api });
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const call = jsonCaller(() => api.url, 20_000);

it('reconnects right after a disconnect while the old secret is still being deleted', async () => {
  stack.emulator!.addPartner({ partnerApiKey: KEY, organizationName: 'Reconnect MSP' });
  expect((await call('PUT', `/v1/partners/${PARTNER}/connection`, { partnerApiKey: KEY })).status).toBe(200);
  expect((await call('DELETE', `/v1/partners/${PARTNER}/connection`)).status).toBe(204);

  // The stored key is gone at once for the API, while Secrets Manager is still deleting it.
  expect((await call('POST', `/v1/partners/${PARTNER}/connection/test`)).body).toMatchObject({ code: 'no_key' });
  const again = await call('PUT', `/v1/partners/${PARTNER}/connection`, { partnerApiKey: KEY });
  expect(again.status).toBe(200);
  expect((await call('POST', `/v1/partners/${PARTNER}/connection/test`)).body).toMatchObject({ ok: true });
});
