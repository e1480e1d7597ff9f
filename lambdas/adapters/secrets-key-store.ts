// Partner API keys live in Secrets Manager only, one secret per partner, and the vendor key in its own secret.
// Both are cached per process; a read with `fresh` goes past the cache (a key Gradient rejected may have been
// rotated by another process). Values are never logged or thrown.
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { ConflictError, ValidationError } from '../core/errors';
import type { KeyReadOptions, PartnerKeyStore } from '../core/ports';
import { SECRET_NAME_PATTERN, SERVICE_NAME } from '../shared/names';
import { rememberSecret } from '../shared/secret-text';

const DEFAULT_TTL_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 5_000;
const APP_TAG = { Key: 'app', Value: SERVICE_NAME };
/**
 * Waits before creating a partner's secret again while its force-deletion (a disconnect) is still completing:
 * AWS finishes it asynchronously, usually within seconds. About 8 s in all, inside the API's 29 s.
 */
const RECREATE_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];

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
  /** Waits between creations while the name is still scheduled for deletion (tests shorten them). */
  recreateDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
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
    rememberSecret(partnerApiKey);
    this.cache.delete(partnerId);
    const delays = this.opts.recreateDelaysMs ?? RECREATE_DELAYS_MS;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.create(partnerId, name, partnerApiKey);
        return;
      } catch (err) {
        if (err instanceof ResourceExistsException) {
          // A regenerated key replaces the old one as the current version.
          await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: partnerApiKey }), {
            abortSignal: timeout(),
          });
          return;
        }
        if (!isPendingDeletion(err)) throw err;
        // Reconnected right after a disconnect: the old secret is not gone yet. A force-deleted secret cannot be
        // restored, so wait for the deletion to complete, within a bound.
        const delay = delays[attempt];
        if (delay === undefined) {
          throw new ConflictError(
            `the previous key of partner ${partnerId} is still being deleted; try again in a minute`,
            'key_deletion_pending',
          );
        }
        await sleep(delay);
      }
    }
  }

  private async create(partnerId: string, name: string, partnerApiKey: string): Promise<void> {
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
  }

  async get(partnerId: string, options: KeyReadOptions = {}): Promise<string | undefined> {
    const cached = this.cache.get(partnerId);
    if (!options.fresh && cached && cached.expiresAt > this.clock()) return cached.value;
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
      // Gone already, or its deletion is under way (an interrupted disconnect, called again).
      if (!(err instanceof ResourceNotFoundException) && !isPendingDeletion(err)) throw err;
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

export interface VendorKeyReaderOptions {
  cacheTtlMs?: number;
  clock?: () => number;
}

/** Reads the Gradient Vendor API key; `fresh` goes past the cache. */
export type VendorKeyReader = (options?: KeyReadOptions) => Promise<string>;

/**
 * The Gradient Vendor API key, cached by the reader (one per process and handler: warm Lambdas must not read it
 * on every call, and two handlers never share a cache, as two Lambdas cannot).
 */
export function vendorKeyReader(
  client: SecretsManagerClient,
  secretId: string,
  opts: VendorKeyReaderOptions = {},
): VendorKeyReader {
  const clock = opts.clock ?? Date.now;
  let cached: { value: string; expiresAt: number } | undefined;
  return async (options = {}) => {
    if (!options.fresh && cached && cached.expiresAt > clock()) return cached.value;
    const value = (await getSecretString(client, secretId))?.trim();
    if (value === undefined || value === '') throw new Error(`vendor key secret ${secretId} is missing or empty`);
    cached = { value, expiresAt: clock() + (opts.cacheTtlMs ?? DEFAULT_TTL_MS) };
    return value;
  };
}

/** A secret's value, remembered so that log lines mask it (`secret-text.ts`). */
async function getSecretString(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  try {
    const res = await client.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: timeout() });
    if (res.SecretString === undefined) throw new Error(`secret ${secretId} holds no string value`);
    rememberSecret(res.SecretString);
    rememberSecret(res.SecretString.trim());
    return res.SecretString;
  } catch (err) {
    // A secret scheduled for deletion (a disconnect completing) holds no key any more.
    if (err instanceof ResourceNotFoundException || isPendingDeletion(err)) return undefined;
    throw err;
  }
}

/** Secrets Manager's answer for a name whose deletion has not completed yet. */
const isPendingDeletion = (err: unknown): boolean =>
  err instanceof InvalidRequestException && /(scheduled|marked) for deletion/i.test(err.message ?? '');

const timeout = () => AbortSignal.timeout(CALL_TIMEOUT_MS);
