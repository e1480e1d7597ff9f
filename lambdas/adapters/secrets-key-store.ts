// Partner API keys live in Secrets Manager only, one secret per partner. Values are never logged or thrown.
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { ValidationError } from '../core/errors';
import type { PartnerKeyStore } from '../core/ports';
import { SECRET_NAME_PATTERN, SERVICE_NAME } from '../shared/names';

const DEFAULT_TTL_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 5_000;
const APP_TAG = { Key: 'app', Value: SERVICE_NAME };

/** `new SecretsManagerClient({...})` honours AWS_ENDPOINT_URL_SECRETS_MANAGER, so local runs reach the emulator. */
export function createSecretsManagerClient(config: SecretsManagerClientConfig = {}): SecretsManagerClient {
  return new SecretsManagerClient({
    requestHandler: { connectionTimeout: 3_000, requestTimeout: CALL_TIMEOUT_MS },
    ...config,
  });
}

export interface SecretsKeyStoreOptions {
  /** Secret names are `<prefix><partnerId>`. */
  prefix: string;
  kmsKeyId?: string;
  cacheTtlMs?: number;
  clock?: () => number;
}

export class SecretsManagerKeyStore implements PartnerKeyStore {
  private readonly cache = new Map<string, { value: string; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly opts: SecretsKeyStoreOptions,
  ) {
    this.ttlMs = opts.cacheTtlMs ?? DEFAULT_TTL_MS;
    this.clock = opts.clock ?? Date.now;
  }

  async put(partnerId: string, partnerApiKey: string): Promise<void> {
    const name = this.secretName(partnerId);
    this.cache.delete(partnerId);
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: partnerApiKey,
          KmsKeyId: this.opts.kmsKeyId,
          Description: 'Gradient Partner API key',
          Tags: [APP_TAG, { Key: 'partnerId', Value: partnerId }],
        }),
        { abortSignal: timeout() },
      );
    } catch (err) {
      if (!(err instanceof ResourceExistsException)) throw err;
      // A regenerated key replaces the old one as the current version.
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: partnerApiKey }), {
        abortSignal: timeout(),
      });
    }
  }

  async get(partnerId: string): Promise<string | undefined> {
    const cached = this.cache.get(partnerId);
    if (cached && cached.expiresAt > this.clock()) return cached.value;
    this.cache.delete(partnerId);
    const value = await getSecretString(this.client, this.secretName(partnerId));
    if (value !== undefined) this.cache.set(partnerId, { value, expiresAt: this.clock() + this.ttlMs });
    return value;
  }

  async delete(partnerId: string): Promise<void> {
    try {
      // No recovery window: a partner who reconnects right away must be able to store a key under the same name.
      await this.client.send(
        new DeleteSecretCommand({ SecretId: this.secretName(partnerId), ForceDeleteWithoutRecovery: true }),
        { abortSignal: timeout() },
      );
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    } finally {
      this.cache.delete(partnerId);
    }
  }

  assertStorable(partnerId: string): void {
    if (!SECRET_NAME_PATTERN.test(this.secretName(partnerId))) {
      throw new ValidationError('no key can be stored for this partner id', [
        { path: 'partnerId', message: 'the secret name it makes is not valid in Secrets Manager' },
      ]);
    }
  }

  private secretName(partnerId: string): string {
    return `${this.opts.prefix}${partnerId}`;
  }
}

const vendorKeyCache = new Map<string, { value: string; expiresAt: number }>();

/** The Gradient Vendor API key, cached per process (warm Lambdas must not read it on every call). */
export async function readVendorKey(
  client: SecretsManagerClient,
  secretId: string,
  opts: { cacheTtlMs?: number; clock?: () => number } = {},
): Promise<string> {
  const now = (opts.clock ?? Date.now)();
  const cached = vendorKeyCache.get(secretId);
  if (cached && cached.expiresAt > now) return cached.value;
  const value = await getSecretString(client, secretId);
  if (value === undefined || value.trim() === '') throw new Error(`vendor key secret ${secretId} is missing or empty`);
  vendorKeyCache.set(secretId, { value: value.trim(), expiresAt: now + (opts.cacheTtlMs ?? DEFAULT_TTL_MS) });
  return value.trim();
}

/** Tests and key rotation: forget cached vendor keys. */
export function clearVendorKeyCache(): void {
  vendorKeyCache.clear();
}

async function getSecretString(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  try {
    const res = await client.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: timeout() });
    if (res.SecretString === undefined) throw new Error(`secret ${secretId} holds no string value`);
    return res.SecretString;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

const timeout = () => AbortSignal.timeout(CALL_TIMEOUT_MS);
