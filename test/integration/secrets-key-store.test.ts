import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  createSecretsManagerClient,
  SecretsManagerKeyStore,
  vendorKeyReader,
} from '../../lambdas/adapters/secrets-key-store';
import { type SecretsManagerEmulator, startSecretsManagerEmulator } from '../../local/secrets-manager-emulator';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../support/local-aws';

const PREFIX = 'gradient-billing-sync/partner/';
const clientFor = (url: string) =>
  new SecretsManagerClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: url, maxAttempts: 1 });

let emulator: SecretsManagerEmulator;
let client: SecretsManagerClient;

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator();
  client = clientFor(emulator.url);
});
afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

describe('SecretsManagerKeyStore', () => {
  it('stores, reads, replaces and deletes a partner key', async () => {
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX });
    expect(await store.get('p1')).toBeUndefined();

    await store.put('p1', 'key-one');
    expect(await store.get('p1')).toBe('key-one');

    await store.put('p1', 'key-two');
    expect(await store.get('p1')).toBe('key-two');

    await store.delete('p1');
    expect(await store.get('p1')).toBeUndefined();
    await expect(store.delete('p1')).resolves.toBeUndefined();

    // Deleted without recovery, the name is free at once for a partner who reconnects.
    await store.put('p1', 'key-three');
    expect(await store.get('p1')).toBe('key-three');
  });

  it('finds the emulator through AWS_ENDPOINT_URL_SECRETS_MANAGER, as production code relies on', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.url,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const prod = createSecretsManagerClient();
    try {
      await new SecretsManagerKeyStore(prod, { prefix: PREFIX }).put('env', 'via-env');
      expect(await new SecretsManagerKeyStore(client, { prefix: PREFIX }).get('env')).toBe('via-env');
    } finally {
      prod.destroy();
      process.env = saved;
    }
  });

  it('names, tags and encrypts the secret as configured', async () => {
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX, kmsKeyId: 'alias/partner-keys' });
    await store.put('p2', 'secret-value');
    const described = await client.send(new DescribeSecretCommand({ SecretId: `${PREFIX}p2` }));
    expect(described.KmsKeyId).toBe('alias/partner-keys');
    expect(described.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'app', Value: 'gradient-billing-sync' },
        { Key: 'partnerId', Value: 'p2' },
      ]),
    );
    expect(JSON.stringify(described)).not.toContain('secret-value');
  });

  it('serves reads from its cache until the TTL runs out', async () => {
    let now = 1_000_000;
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX, cacheTtlMs: 60_000, clock: () => now });
    await store.put('p3', 'first');
    expect(await store.get('p3')).toBe('first');

    // Changed behind the store's back (another process): the cached value holds until it expires.
    await client.send(new PutSecretValueCommand({ SecretId: `${PREFIX}p3`, SecretString: 'second' }));
    expect(await store.get('p3')).toBe('first');
    now += 60_001;
    expect(await store.get('p3')).toBe('second');
  });

  it('reads past its cache when asked for a fresh key, and caches what it read', async () => {
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX, cacheTtlMs: 3_600_000 });
    await store.put('p5', 'first');
    expect(await store.get('p5')).toBe('first');
    await client.send(new PutSecretValueCommand({ SecretId: `${PREFIX}p5`, SecretString: 'second' }));
    expect(await store.get('p5')).toBe('first');
    expect(await store.get('p5', { fresh: true })).toBe('second');
    expect(await store.get('p5')).toBe('second');
  });

  it('forgets its cached key when the key is replaced or deleted through it', async () => {
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX, cacheTtlMs: 3_600_000 });
    await store.put('p4', 'old');
    expect(await store.get('p4')).toBe('old');
    await store.put('p4', 'new');
    expect(await store.get('p4')).toBe('new');
    await store.delete('p4');
    expect(await store.get('p4')).toBeUndefined();
  });
});

describe('SecretsManagerKeyStore while a deletion completes (AWS deletes asynchronously)', () => {
  let slow: SecretsManagerEmulator;
  let slowClient: SecretsManagerClient;
  beforeAll(async () => {
    slow = await startSecretsManagerEmulator({ forceDeleteDelayMs: 300 });
    slowClient = clientFor(slow.url);
  });
  afterAll(async () => {
    slowClient?.destroy();
    await slow?.close();
  });

  it('stores a key again right after a disconnect deleted the old one, once the deletion completed', async () => {
    const store = new SecretsManagerKeyStore(slowClient, { prefix: PREFIX, recreateDelaysMs: [100, 200, 400, 800] });
    await store.put('again', 'key-before');
    await store.delete('again');
    // Scheduled for deletion: no key, and a second delete (an interrupted disconnect, repeated) is no error.
    expect(await store.get('again')).toBeUndefined();
    await expect(store.delete('again')).resolves.toBeUndefined();
    await store.put('again', 'key-after');
    expect(await store.get('again', { fresh: true })).toBe('key-after');
  });

  it('answers a clear conflict when the deletion outlasts its wait', async () => {
    const stuck = await startSecretsManagerEmulator({ forceDeleteDelayMs: 3_600_000 });
    const stuckClient = clientFor(stuck.url);
    try {
      const store = new SecretsManagerKeyStore(stuckClient, { prefix: PREFIX, recreateDelaysMs: [1, 1] });
      await store.put('stuck', 'key-before');
      await store.delete('stuck');
      await expect(store.put('stuck', 'key-after')).rejects.toMatchObject({
        name: 'ConflictError',
        code: 'key_deletion_pending',
      });
    } finally {
      stuckClient.destroy();
      await stuck.close();
    }
  });
});

describe('vendorKeyReader', () => {
  it('reads the vendor key once and caches it; a fresh read goes past the cache', async () => {
    await client.send(new CreateSecretCommand({ Name: 'vendor-key', SecretString: 'vendor-1' }));
    const read = vendorKeyReader(client, 'vendor-key');
    expect(await read()).toBe('vendor-1');
    await client.send(new PutSecretValueCommand({ SecretId: 'vendor-key', SecretString: 'vendor-2' }));
    expect(await read()).toBe('vendor-1');
    expect(await read({ fresh: true })).toBe('vendor-2');
    expect(await read()).toBe('vendor-2');
  });

  it('keeps one cache per reader, as two Lambdas have', async () => {
    await client.send(new CreateSecretCommand({ Name: 'vendor-key-2', SecretString: 'v-1' }));
    const api = vendorKeyReader(client, 'vendor-key-2');
    expect(await api()).toBe('v-1');
    await client.send(new PutSecretValueCommand({ SecretId: 'vendor-key-2', SecretString: 'v-2' }));
    expect(await vendorKeyReader(client, 'vendor-key-2')()).toBe('v-2');
    expect(await api()).toBe('v-1');
  });

  it('fails clearly when the vendor key secret is missing', async () => {
    await expect(vendorKeyReader(client, 'no-such-vendor-key')()).rejects.toThrow(/missing or empty/);
  });
});

describe('Secrets Manager emulator', () => {
  it('answers the SDK with realistic shapes and modelled errors', async () => {
    const created = await client.send(
      new CreateSecretCommand({ Name: 'shape/test', SecretString: 'v1', Description: 'd' }),
    );
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:shape\/test-[A-Za-z]{6}$/);
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);

    const value = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(value).toMatchObject({ Name: 'shape/test', SecretString: 'v1', VersionStages: ['AWSCURRENT'] });
    expect(value.CreatedDate).toBeInstanceOf(Date);
    expect(Math.abs(value.CreatedDate!.getTime() - Date.now())).toBeLessThan(60_000);

    await client.send(new PutSecretValueCommand({ SecretId: 'shape/test', SecretString: 'v2' }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'shape/test', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('v1');

    await expect(
      client.send(new CreateSecretCommand({ Name: 'shape/test', SecretString: 'x' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      client.send(
        new DeleteSecretCommand({ SecretId: 'shape/test', ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('updates description and KMS key, merges tags and lists live secrets', async () => {
    await client.send(new CreateSecretCommand({ Name: 'list/a', SecretString: 'a', Tags: [{ Key: 'k', Value: '1' }] }));
    await client.send(new UpdateSecretCommand({ SecretId: 'list/a', Description: 'new', KmsKeyId: 'alias/x' }));
    await client.send(
      new TagResourceCommand({
        SecretId: 'list/a',
        Tags: [
          { Key: 'k', Value: '2' },
          { Key: 'z', Value: '3' },
        ],
      }),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'list/a' }));
    expect(described).toMatchObject({ Description: 'new', KmsKeyId: 'alias/x' });
    expect(described.Tags).toEqual([
      { Key: 'k', Value: '2' },
      { Key: 'z', Value: '3' },
    ]);

    await client.send(new CreateSecretCommand({ Name: 'list/b', SecretString: 'b' }));
    await client.send(new DeleteSecretCommand({ SecretId: 'list/b', RecoveryWindowInDays: 7 }));
    const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }] }));
    expect(listed.SecretList?.map((s) => s.Name)).toEqual(['list/a']);
  });

  it('keeps a secret deleted with a recovery window unreadable and its name taken', async () => {
    await client.send(new CreateSecretCommand({ Name: 'soft/deleted', SecretString: 's' }));
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: 'soft/deleted' }));
    expect(deleted.DeletionDate!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    await expect(client.send(new GetSecretValueCommand({ SecretId: 'soft/deleted' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(client.send(new CreateSecretCommand({ Name: 'soft/deleted', SecretString: 't' }))).rejects.toThrow(
      /scheduled for deletion/,
    );
    expect(emulator.secretNames()).not.toContain('soft/deleted');
  });

  it('refuses a request without an Authorization header', async () => {
    const res = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.ListSecrets' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await res.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('answers an unknown operation and a malformed body with typed errors', async () => {
    const post = (target: string, body: string) =>
      fetch(emulator.url, {
        method: 'POST',
        headers: { authorization: 'AWS4-HMAC-SHA256 fake', 'x-amz-target': target },
        body,
      });
    const unknown = await post('secretsmanager.RotateSecret', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const invalid = await post('secretsmanager.GetSecretValue', '{"SecretId": 7}');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ __type: 'InvalidParameterException' });
  });

  it('persists secrets to its data file so a restarted emulator still has them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sm-emulator-'));
    const dataFile = join(dir, 'nested', 'secrets.json');
    try {
      const first = await startSecretsManagerEmulator({ dataFile });
      const c1 = clientFor(first.url);
      const store1 = new SecretsManagerKeyStore(c1, { prefix: PREFIX });
      await store1.put('kept', 'persisted-key');
      await store1.put('gone', 'short-lived');
      await store1.delete('gone');
      c1.destroy();
      await first.close();
      expect(JSON.parse(await readFile(dataFile, 'utf8'))).toMatchObject({ version: 1 });

      const second = await startSecretsManagerEmulator({ dataFile });
      const c2 = clientFor(second.url);
      const store2 = new SecretsManagerKeyStore(c2, { prefix: PREFIX });
      try {
        expect(await store2.get('kept')).toBe('persisted-key');
        expect(await store2.get('gone')).toBeUndefined();
        expect(second.secretNames()).toEqual([`${PREFIX}kept`]);
      } finally {
        c2.destroy();
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
