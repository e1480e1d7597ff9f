// A local stand-in for AWS Secrets Manager over the AWS JSON 1.1 protocol, so the production key store runs
// unchanged. It answers the operations the project sends: CreateSecret, GetSecretValue, PutSecretValue and
// DeleteSecret from the key store and the local stack, DescribeSecret, UpdateSecret, TagResource and
// ListSecrets from the tests; string values only. Not for production; never logs a value.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { listen, readBody, sendJson } from './http';
import { jsonFile } from './json-file';

const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export interface SecretsManagerEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** JSON file the secrets persist to (see json-file.ts), so a later run sees them. */
  dataFile?: string;
  region?: string;
  accountId?: string;
  /** Epoch milliseconds; tests may pin time. */
  clock?: () => number;
  /**
   * How long a secret deleted with ForceDeleteWithoutRecovery stays "scheduled for deletion" (AWS completes it
   * asynchronously: meanwhile its name cannot be created again and its value cannot be read). Default 0: gone at once.
   */
  forceDeleteDelayMs?: number;
}

export interface SecretsManagerEmulator {
  url: string;
  port: number;
  /** Names of the secrets that exist (not scheduled for deletion); never values. */
  secretNames(): string[];
  close(): Promise<void>;
}

// ---------- stored state ----------

const tagSchema = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) });
type Tag = z.infer<typeof tagSchema>;

const versionSchema = z.object({
  versionId: z.string(),
  secretString: z.string().optional(),
  createdDate: z.number(),
  stages: z.array(z.string()),
});
type Version = z.infer<typeof versionSchema>;

const secretSchema = z.object({
  arn: z.string(),
  name: z.string(),
  description: z.string().optional(),
  kmsKeyId: z.string().optional(),
  tags: z.array(tagSchema),
  createdDate: z.number(),
  lastChangedDate: z.number(),
  /** When it was marked for deletion, and when it goes for good. */
  deletedDate: z.number().optional(),
  deletionDate: z.number().optional(),
  versions: z.array(versionSchema),
});
type Secret = z.infer<typeof secretSchema>;

const dataFileSchema = z.object({ version: z.literal(1), secrets: z.array(secretSchema) });

// ---------- requests ----------

const secretId = z.string().min(1).max(2048);
const value = {
  SecretString: z.string().max(65_536).optional(),
  ClientRequestToken: z.string().min(32).max(64).optional(),
};
const requests = {
  CreateSecret: z.object({
    Name: z.string().regex(NAME, 'Name must be 1-512 characters of A-Z a-z 0-9 / _ + = . @ -'),
    Description: z.string().max(2048).optional(),
    KmsKeyId: z.string().optional(),
    Tags: z.array(tagSchema).optional(),
    ...value,
  }),
  GetSecretValue: z.object({
    SecretId: secretId,
    VersionId: z.string().optional(),
    VersionStage: z.string().optional(),
  }),
  PutSecretValue: z.object({ SecretId: secretId, ...value }),
  DeleteSecret: z.object({
    SecretId: secretId,
    ForceDeleteWithoutRecovery: z.boolean().optional(),
    RecoveryWindowInDays: z.number().int().min(7).max(30).optional(),
  }),
  DescribeSecret: z.object({ SecretId: secretId }),
  UpdateSecret: z.object({
    SecretId: secretId,
    Description: z.string().max(2048).optional(),
    KmsKeyId: z.string().optional(),
    SecretString: z.unknown().optional(),
    ClientRequestToken: z.string().optional(),
  }),
  TagResource: z.object({ SecretId: secretId, Tags: z.array(tagSchema) }),
  ListSecrets: z.object({
    Filters: z.array(z.object({ Key: z.string(), Values: z.array(z.string()) })).optional(),
  }),
};
type Operation = keyof typeof requests;
type Request<O extends Operation> = z.infer<(typeof requests)[O]>;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = () => new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const markedForDeletion = () =>
  new ApiError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

// ---------- the emulator ----------

export async function startSecretsManagerEmulator(
  opts: SecretsManagerEmulatorOptions = {},
): Promise<SecretsManagerEmulator> {
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '000000000000';
  const clock = opts.clock ?? Date.now;
  const nowSeconds = () => clock() / 1000;
  const secrets = new Map<string, Secret>();

  const file = opts.dataFile === undefined ? undefined : jsonFile(opts.dataFile);
  if (file) {
    const parsed = dataFileSchema.safeParse(file.read() ?? { version: 1, secrets: [] });
    if (!parsed.success)
      throw new Error(`secrets emulator data file ${file.path} is malformed; delete it to start empty`);
    for (const secret of parsed.data.secrets) secrets.set(secret.name, secret);
  }
  // Written before the answer, so a secret the caller was told about survives a stop.
  const persist = () => file?.write({ version: 1, secrets: [...secrets.values()] });

  /** A secret past its scheduled deletion date is gone, as in AWS. */
  const find = (id: string): Secret | undefined => {
    let secret = secrets.get(id);
    if (!secret) secret = [...secrets.values()].find((s) => s.arn === id);
    if (secret?.deletionDate !== undefined && secret.deletionDate <= nowSeconds()) {
      secrets.delete(secret.name);
      return undefined;
    }
    return secret;
  };
  const findLive = (id: string): Secret => {
    const secret = find(id);
    if (!secret) throw notFound();
    if (secret.deletedDate !== undefined) throw markedForDeletion();
    return secret;
  };

  /** The secrets not scheduled for deletion, by name. */
  const liveSecrets = (): Secret[] =>
    [...secrets.keys()]
      .sort()
      .map(find)
      .filter((s): s is Secret => s !== undefined && s.deletedDate === undefined);

  const addVersion = (secret: Secret, secretString: string, token?: string) => {
    const versionId = token ?? randomUUID();
    const existing = secret.versions.find((v) => v.versionId === versionId);
    if (existing) {
      // A retried request with the same token is idempotent; a different value under it is a conflict.
      if (existing.secretString === secretString) return existing;
      throw new ApiError('ResourceExistsException', 'A version with this ClientRequestToken already exists.');
    }
    for (const v of secret.versions) {
      v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    }
    const version: Version = {
      versionId,
      secretString,
      createdDate: nowSeconds(),
      stages: ['AWSCURRENT'],
    };
    secret.versions = [...secret.versions.filter((v) => v.stages.length > 0), version];
    secret.lastChangedDate = version.createdDate;
    return version;
  };

  const description = (s: Secret) => ({
    ARN: s.arn,
    Name: s.name,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    Tags: s.tags,
    CreatedDate: s.createdDate,
    LastChangedDate: s.lastChangedDate,
    DeletedDate: s.deletedDate,
    VersionIdsToStages: Object.fromEntries(s.versions.map((v) => [v.versionId, v.stages])),
  });

  const handlers: { [O in Operation]: (req: Request<O>) => Promise<object> } = {
    async CreateSecret(req) {
      const existing = find(req.Name);
      if (existing?.deletedDate !== undefined) {
        throw new ApiError(
          'InvalidRequestException',
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      if (existing)
        throw new ApiError(
          'ResourceExistsException',
          `The operation failed because the secret ${req.Name} already exists.`,
        );
      const now = nowSeconds();
      const secret: Secret = {
        arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${req.Name}-${randomSuffix()}`,
        name: req.Name,
        description: req.Description,
        kmsKeyId: req.KmsKeyId,
        tags: req.Tags ?? [],
        createdDate: now,
        lastChangedDate: now,
        versions: [],
      };
      const version =
        req.SecretString === undefined ? undefined : addVersion(secret, req.SecretString, req.ClientRequestToken);
      secrets.set(secret.name, secret);
      persist();
      return { ARN: secret.arn, Name: secret.name, VersionId: version?.versionId };
    },

    async GetSecretValue(req) {
      const secret = findLive(req.SecretId);
      const stage = req.VersionStage ?? (req.VersionId ? undefined : 'AWSCURRENT');
      const version = secret.versions.find(
        (v) => (req.VersionId === undefined || v.versionId === req.VersionId) && (!stage || v.stages.includes(stage)),
      );
      if (!version) {
        throw new ApiError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${req.VersionId ? `VersionId: ${req.VersionId}` : `staging label: ${stage}`}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: version.stages,
        CreatedDate: version.createdDate,
      };
    },

    async PutSecretValue(req) {
      const secret = findLive(req.SecretId);
      if (req.SecretString === undefined) {
        throw new ApiError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
      }
      const version = addVersion(secret, req.SecretString, req.ClientRequestToken);
      persist();
      return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: version.stages };
    },

    async DeleteSecret(req) {
      if (req.ForceDeleteWithoutRecovery && req.RecoveryWindowInDays !== undefined) {
        throw new ApiError(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      const secret = find(req.SecretId);
      if (!secret) throw notFound();
      const now = nowSeconds();
      if (req.ForceDeleteWithoutRecovery) {
        const delaySeconds = (opts.forceDeleteDelayMs ?? 0) / 1000;
        if (delaySeconds > 0) {
          secret.deletedDate ??= now;
          secret.deletionDate = Math.min(secret.deletionDate ?? Number.POSITIVE_INFINITY, now + delaySeconds);
        } else {
          secrets.delete(secret.name);
        }
        persist();
        return { ARN: secret.arn, Name: secret.name, DeletionDate: now + delaySeconds };
      }
      if (secret.deletedDate !== undefined) throw markedForDeletion();
      secret.deletedDate = now;
      secret.deletionDate = now + (req.RecoveryWindowInDays ?? 30) * 86_400;
      persist();
      return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionDate };
    },

    async DescribeSecret(req) {
      const secret = find(req.SecretId);
      if (!secret) throw notFound();
      return description(secret);
    },

    async UpdateSecret(req) {
      if (req.SecretString !== undefined) {
        throw new ApiError(
          'InvalidParameterException',
          'This emulator updates only Description and KmsKeyId; use PutSecretValue for a new value.',
        );
      }
      const secret = findLive(req.SecretId);
      if (req.Description !== undefined) secret.description = req.Description;
      if (req.KmsKeyId !== undefined) secret.kmsKeyId = req.KmsKeyId;
      secret.lastChangedDate = nowSeconds();
      persist();
      return { ARN: secret.arn, Name: secret.name };
    },

    async TagResource(req) {
      const secret = findLive(req.SecretId);
      const byKey = new Map<string, Tag>(secret.tags.map((t) => [t.Key, t]));
      for (const tag of req.Tags) byKey.set(tag.Key, tag);
      secret.tags = [...byKey.values()];
      persist();
      return {};
    },

    async ListSecrets(req) {
      const nameFilters: string[] = [];
      for (const filter of req.Filters ?? []) {
        if (filter.Key !== 'name')
          throw new ApiError('InvalidParameterException', `Unsupported filter key: ${filter.Key}`);
        nameFilters.push(...filter.Values);
      }
      const listed = liveSecrets().filter(
        (s) => nameFilters.length === 0 || nameFilters.some((prefix) => s.name.startsWith(prefix)),
      );
      return { SecretList: listed.map(description) };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== 'POST' || req.url !== '/') throw new ApiError('UnknownOperationException', 'POST / only', 404);
      // Signatures are not verified (any credentials work), but an unsigned request is refused as AWS would.
      if (!req.headers.authorization) {
        throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      const target = /^secretsmanager\.(\w+)$/.exec(String(req.headers['x-amz-target'] ?? ''))?.[1];
      if (!target || !(target in handlers)) throw new ApiError('UnknownOperationException', 'Unknown operation');
      const op = target as Operation;
      const read = await readBody(req, MAX_BODY_BYTES);
      if (!read.ok) {
        if (read.reason === 'too_large') {
          throw new ApiError('InvalidRequestException', 'The request body is too large.', 413);
        }
        throw new ApiError('InvalidRequestException', 'The request was aborted.');
      }
      let body: unknown;
      try {
        body = read.body.length === 0 ? {} : JSON.parse(read.body.toString('utf8'));
      } catch {
        throw new ApiError('SerializationException', 'The request body is not valid JSON.');
      }
      const parsed = requests[op].safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        throw new ApiError('InvalidParameterException', problems);
      }
      const result = await (handlers[op] as (r: unknown) => Promise<object>)(parsed.data);
      reply(res, 200, result);
    } catch (err) {
      if (err instanceof ApiError) reply(res, err.status, { __type: err.type, message: err.message });
      else reply(res, 500, { __type: 'InternalServiceError', message: 'internal error' });
    }
  };

  const server = await listen((req, res) => void handle(req, res), { port: opts.port });
  return {
    url: server.url,
    port: server.port,
    secretNames: () => liveSecrets().map((s) => s.name),
    close: server.close,
  };
}

function reply(res: ServerResponse, status: number, body: object): void {
  sendJson(res, status, body, CONTENT_TYPE, { 'x-amzn-requestid': randomUUID() });
}

/** AWS appends six random characters to a secret's ARN. */
function randomSuffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
}
