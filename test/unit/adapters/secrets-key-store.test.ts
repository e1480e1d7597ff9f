// The Secrets Manager key store against a mocked SDK client (aws-sdk-client-mock): the error paths the local
// emulator cannot provoke (access denied, throttling, KMS failures, binary secrets) and what each call sends.
// The happy paths against the emulator are in test/integration/secrets-key-store.test.ts.
import {
  CreateSecretCommand,
  DecryptionFailure,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerKeyStore, vendorKeyReader } from '../../../lambdas/adapters/secrets-key-store';
import { ValidationError } from '../../../lambdas/core/errors';

const PREFIX = 'gradient-billing-sync/partner/';
const client = new SecretsManagerClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const sm = mockClient(client);
beforeEach(() => sm.reset());
afterAll(() => sm.restore());

const meta = { $metadata: { httpStatusCode: 400 } };
const notFound = () =>
  new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", ...meta });
const exists = () => new ResourceExistsException({ message: 'the secret already exists', ...meta });
/** Errors the client has no class for arrive as the service exception with the wire name. */
const serviceError = (name: string, message: string) =>
  new SecretsManagerServiceException({ name, $fault: 'client', message, ...meta });
const accessDenied = () => serviceError('AccessDeniedException', 'not authorized to perform secretsmanager:*');
const throttled = () => serviceError('ThrottlingException', 'Rate exceeded');

/** The options `send` got besides the command (the mock types only the command). */
const sendOptions = (call: { args: readonly unknown[] }): unknown => call.args[1];

const store = (opts: { now?: () => number; kmsKeyId?: string } = {}) =>
  new SecretsManagerKeyStore(client, {
    prefix: PREFIX,
    cacheTtlMs: 60_000,
    ...(opts.kmsKeyId && { kmsKeyId: opts.kmsKeyId }),
    ...(opts.now && { clock: opts.now }),
  });

describe('SecretsManagerKeyStore.get', () => {
  it('reads the secret named by prefix and partner, with a time limit on the call', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'pk-1' });
    expect(await store().get('p1')).toBe('pk-1');
    const [call] = sm.commandCalls(GetSecretValueCommand);
    expect(call!.args[0].input).toEqual({ SecretId: `${PREFIX}p1` });
    expect(sendOptions(call!)).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('answers undefined for a partner without a secret, and asks again next time (no negative caching)', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(notFound()).resolves({ SecretString: 'pk-late' });
    const keys = store();
    expect(await keys.get('p1')).toBeUndefined();
    expect(await keys.get('p1')).toBe('pk-late');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([
    ['access is denied', accessDenied],
    ['Secrets Manager throttles', throttled],
    ['KMS cannot decrypt the secret', () => new DecryptionFailure({ message: 'KMS access denied', ...meta })],
  ])('passes the SDK error on unchanged when %s, and caches nothing', async (_, makeError) => {
    const error = makeError();
    sm.on(GetSecretValueCommand).rejectsOnce(error).resolves({ SecretString: 'pk-2' });
    const keys = store();
    await expect(keys.get('p1')).rejects.toBe(error);
    expect(await keys.get('p1')).toBe('pk-2');
  });

  it('refuses a secret that holds a binary value instead of a string, without showing the value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new TextEncoder().encode('pk-binary') });
    const failure = store().get('p1');
    await expect(failure).rejects.toThrow(`secret ${PREFIX}p1 holds no string value`);
    await expect(failure).rejects.not.toThrow(/pk-binary/);
  });
});

describe('SecretsManagerKeyStore.put', () => {
  it('creates the secret when there is none: name, value, KMS key, description and tags, in one call', async () => {
    sm.on(CreateSecretCommand).resolves({});
    await store({ kmsKeyId: 'alias/partner-keys' }).put('p1', 'pk-new');
    expect(sm.calls()).toHaveLength(1);
    const [call] = sm.commandCalls(CreateSecretCommand);
    expect(call!.args[0].input).toEqual({
      Name: `${PREFIX}p1`,
      SecretString: 'pk-new',
      KmsKeyId: 'alias/partner-keys',
      Description: 'Gradient Partner API key',
      Tags: [
        { Key: 'app', Value: 'gradient-billing-sync' },
        { Key: 'partnerId', Value: 'p1' },
      ],
    });
    expect(sendOptions(call!)).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('puts a new current version when the secret already exists', async () => {
    sm.on(CreateSecretCommand).rejects(exists());
    sm.on(PutSecretValueCommand).resolves({});
    await store().put('p1', 'pk-regenerated');
    const [call] = sm.commandCalls(PutSecretValueCommand);
    expect(call!.args[0].input).toEqual({ SecretId: `${PREFIX}p1`, SecretString: 'pk-regenerated' });
    expect(sendOptions(call!)).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it.each([
    ['access is denied', accessDenied],
    ['Secrets Manager throttles', throttled],
  ])('passes the SDK error on unchanged when %s on create, without trying to overwrite', async (_, makeError) => {
    const error = makeError();
    sm.on(CreateSecretCommand).rejects(error);
    await expect(store().put('p1', 'pk')).rejects.toBe(error);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('passes the SDK error on unchanged when overwriting an existing secret fails', async () => {
    const error = throttled();
    sm.on(CreateSecretCommand).rejects(exists());
    sm.on(PutSecretValueCommand).rejects(error);
    await expect(store().put('p1', 'pk')).rejects.toBe(error);
  });

  it('forgets the cached key even when storing the new one fails, so no stale key is served', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'pk-old' }).resolves({ SecretString: 'pk-current' });
    sm.on(CreateSecretCommand).rejects(accessDenied());
    const keys = store({ now: () => 0 });
    expect(await keys.get('p1')).toBe('pk-old');
    await expect(keys.put('p1', 'pk-new')).rejects.toThrow('not authorized');
    expect(await keys.get('p1')).toBe('pk-current');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('SecretsManagerKeyStore.delete', () => {
  it('deletes without a recovery window, and succeeds when there is nothing to delete', async () => {
    sm.on(DeleteSecretCommand).rejects(notFound());
    await expect(store().delete('p1')).resolves.toBeUndefined();
    const [call] = sm.commandCalls(DeleteSecretCommand);
    expect(call!.args[0].input).toEqual({ SecretId: `${PREFIX}p1`, ForceDeleteWithoutRecovery: true });
    expect(sendOptions(call!)).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it.each([
    ['access is denied', accessDenied],
    ['Secrets Manager throttles', throttled],
  ])('passes the SDK error on unchanged when %s, and still forgets the cached key', async (_, makeError) => {
    const error = makeError();
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'pk-old' }).rejects(notFound());
    sm.on(DeleteSecretCommand).rejects(error);
    const keys = store({ now: () => 0 });
    expect(await keys.get('p1')).toBe('pk-old');
    await expect(keys.delete('p1')).rejects.toBe(error);
    expect(await keys.get('p1')).toBeUndefined();
  });
});

describe('SecretsManagerKeyStore.assertStorable', () => {
  it('accepts every id of the one pattern under the configured prefix and sends nothing', () => {
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX });
    expect(() => store.assertStorable(`A${'b._-9'.repeat(25)}xy`)).not.toThrow();
    expect(sm.calls()).toHaveLength(0);
  });

  it('refuses a partner id whose secret name Secrets Manager would refuse (":", or over 512 characters)', () => {
    const store = new SecretsManagerKeyStore(client, { prefix: PREFIX });
    expect(() => store.assertStorable('acme:1')).toThrow(ValidationError);
    const long = new SecretsManagerKeyStore(client, { prefix: 'p/'.repeat(200) });
    expect(() => long.assertStorable('x'.repeat(128))).toThrow(/no key can be stored/);
  });
});

describe('vendorKeyReader', () => {
  it('trims the stored value and serves it from its cache until the TTL runs out', async () => {
    let now = 0;
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: '  vk-1\n' }).resolves({ SecretString: 'vk-2' });
    const read = vendorKeyReader(client, 'vendor-key', { cacheTtlMs: 1000, clock: () => now });
    expect(await read()).toBe('vk-1');
    now = 999;
    expect(await read()).toBe('vk-1');
    now = 1000;
    expect(await read()).toBe('vk-2');
    expect(sm.commandCalls(GetSecretValueCommand, { SecretId: 'vendor-key' })).toHaveLength(2);
  });

  it('fails clearly on a blank value, and reads again on the next call', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: ' \n' }).resolves({ SecretString: 'vk' });
    const read = vendorKeyReader(client, 'vendor-key');
    await expect(read()).rejects.toThrow('vendor key secret vendor-key is missing or empty');
    expect(await read()).toBe('vk');
  });

  it('passes access denied on unchanged', async () => {
    const error = accessDenied();
    sm.on(GetSecretValueCommand).rejects(error);
    await expect(vendorKeyReader(client, 'vendor-key')()).rejects.toBe(error);
  });
});
