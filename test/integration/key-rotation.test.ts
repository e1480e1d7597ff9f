// Key rotation on the local stack with the API and the worker built apart (two Lambdas, two sets of key caches):
// the MSP regenerates its Partner API key, or the operator rotates the Vendor API key, while both are warm; the
// next run on the warm worker still succeeds, because a rejected cached key is read again before auth_failed.
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerClient } from '../../lambdas/adapters/secrets-key-store';
import { type ApiServer, startApiServer } from '../../local/api-server';
import { LOCAL_VENDOR, type LocalStack, startLocalStack } from '../../local/stack';
import { jsonCaller } from '../support/json-call';

const PARTNER = 'msp-rotate';
const OLD_KEY = 'rotate-partner-key-old-0123456789';
const NEW_KEY = 'rotate-partner-key-new-9876543210';
const NEW_VENDOR_KEY = 'rotated-local-vendor-key-abcdef';

let stack: LocalStack;
let api: ApiServer;
let quantity = 10;

beforeAll(async () => {
  stack = await startLocalStack();
  api = await startApiServer({ port: 0, host: '127.0.0.1', handler: stack.api });
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const call = jsonCaller(() => api.url);

/** A new usage value, a resync through the API, the worker draining the queue: the finished run. */
async function resyncOnTheWorker() {
  const today = new Date().toISOString().slice(0, 10);
  quantity += 1;
  const snapshot = { accountId: 'acme', serviceKey: 'seats', date: today, quantity };
  expect((await call('POST', `/v1/partners/${PARTNER}/usage`, { snapshots: [snapshot] })).status).toBe(200);
  const queued = await call('POST', `/v1/partners/${PARTNER}/resync`, {});
  expect(queued.status).toBe(202);
  await stack.queue.drain(stack.worker);
  return (await call('GET', `/v1/partners/${PARTNER}/runs/${queued.body.runId}`)).body;
}

const emulatedCount = () => stack.emulator!.currentCounts().find((c) => c.accountId === 'acme')?.unitCount;

it('a partner key regenerated in Synthesize and saved again is used by the warm worker', async () => {
  const service = { name: 'Seats', description: 'Seats', category: 'security', subcategory: 'password management' };
  expect((await call('PUT', '/v1/services/seats', { ...service, aggregation: 'last' })).status).toBe(201);
  expect((await call('PUT', `/v1/partners/${PARTNER}/accounts/acme`, { name: 'Acme' })).status).toBe(201);
  stack.emulator!.addPartner({
    partnerApiKey: OLD_KEY,
    organizationName: 'Rotate MSP',
    psaCompanies: ['Acme'],
    psaProducts: ['Seats'],
  });
  expect((await call('PUT', `/v1/partners/${PARTNER}/connection`, { partnerApiKey: OLD_KEY })).status).toBe(200);
  expect(await resyncOnTheWorker()).toMatchObject({ status: 'succeeded', summary: { accepted: 1 } });

  // The MSP regenerates its key in Synthesize (the old one stops working) and pastes the new one.
  stack.emulator!.regenerateKey(OLD_KEY, NEW_KEY);
  const tested = await call('POST', `/v1/partners/${PARTNER}/connection/test`, { partnerApiKey: NEW_KEY });
  expect(tested.body).toMatchObject({ ok: true });
  expect((await call('PUT', `/v1/partners/${PARTNER}/connection`, { partnerApiKey: NEW_KEY })).status).toBe(200);

  // The worker still caches the old key: Gradient rejects it, the worker reads the secret again and goes on.
  expect(await resyncOnTheWorker()).toMatchObject({ status: 'succeeded', summary: { accepted: 1 } });
  expect(emulatedCount()).toBe(quantity);
  expect((await call('GET', `/v1/partners/${PARTNER}`)).body).toMatchObject({ status: 'connected' });
});

it('a rotated vendor key (docs/deploy.md) is used by the warm API and worker without auth_failed', async () => {
  // Gradient issues a new vendor key and the old one stops working ...
  stack.emulator!.addVendor({ ...LOCAL_VENDOR, vendorApiKey: NEW_VENDOR_KEY });
  stack.emulator!.revokeKey(LOCAL_VENDOR.vendorApiKey);
  // ... and the operator writes it with `put-secret-value`, while both Lambdas hold the old one in their cache.
  const secrets = createSecretsManagerClient();
  try {
    await secrets.send(
      new PutSecretValueCommand({ SecretId: stack.env.VENDOR_KEY_SECRET_ID, SecretString: NEW_VENDOR_KEY }),
    );
  } finally {
    secrets.destroy();
  }

  // The API's stored-key paths: test connection and sync mappings.
  expect((await call('POST', `/v1/partners/${PARTNER}/connection/test`)).body).toMatchObject({ ok: true });
  expect((await call('POST', `/v1/partners/${PARTNER}/mappings/sync`)).status).toBe(200);
  // The worker.
  expect(await resyncOnTheWorker()).toMatchObject({ status: 'succeeded', summary: { accepted: 1 } });
  expect(emulatedCount()).toBe(quantity);
  expect((await call('GET', `/v1/partners/${PARTNER}`)).body).toMatchObject({ status: 'connected' });
});
