// The embedded local stack: dynalite, the Secrets Manager emulator, the Gradient emulator and the in-process
// queue on 127.0.0.1, with the real handlers and adapters pointed at them through the same variables a
// deployment uses (AWS_ENDPOINT_URL_*, TABLE_*, GRADIENT_BASE_URL). Nothing here needs AWS or the internet.
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { createDocumentClient, createDynamoClient } from '../lambdas/adapters/dynamo';
import { withFleetKey } from '../lambdas/adapters/dynamo/partner-repository';
import { withOpenMarker } from '../lambdas/adapters/dynamo/run-repository';
import { createSecretsManagerClient } from '../lambdas/adapters/secrets-key-store';
import type { AppDeps } from '../lambdas/core/ports';
import type { PlanResult } from '../lambdas/core/sync/plan';
import { createApiHandler } from '../lambdas/handlers/api/app';
import { createPlannerHandler } from '../lambdas/handlers/planner';
import { createWorkerHandler } from '../lambdas/handlers/worker';
import { migrateHeldValues } from '../lambdas/migrations/held-from-accepted';
import { type Env, parseEnv, resetEnvCache } from '../lambdas/shared/env';
import { SERVICE_NAME } from '../lambdas/shared/names';
import { WORK_QUEUE_MAX_RECEIVE_COUNT, WORKER_TIMEOUT_SECONDS } from '../lambdas/shared/settings';
import { ALL_TABLES, TABLES } from '../lambdas/shared/tables';
import { type ApiProcess, apiProcess, buildDeps, workerProcess } from '../lambdas/wiring';
import type { ProxyHandler } from './api-server';
import { ensureTables, startDynalite } from './dynalite';
import { type GradientEmulator, type GradientEmulatorOptions, startGradientEmulator } from './gradient-emulator';
import { InProcessEventBus } from './in-process-bus';
import { InProcessQueue, type InProcessQueueOptions, type WorkerHandler } from './in-process-queue';
import { localContext } from './lambda-context';
import { resumeOpenRuns } from './resume';
import { type SecretsManagerEmulatorOptions, startSecretsManagerEmulator } from './secrets-manager-emulator';

export const LOCAL_VENDOR = {
  vendorApiKey: 'local-vendor-key',
  vendorId: '65e0000000000000000000aa',
  name: 'Example Vendor',
};

/** The local stack's default budget: a little under the emulator's 100/s, as a deployment keeps under Gradient's. */
export const LOCAL_RATE_BUDGET = 95;

export interface LocalStackOptions {
  /** Folder for dynalite, secrets and the emulated Gradient; in memory when absent (tests). */
  dataDir?: string;
  /** Use this Gradient instead of the built-in emulator. */
  gradientBaseUrl?: string;
  /** The vendor key written into the local Secrets Manager (the emulator's vendor key by default). */
  vendorApiKey?: string;
  emulator?: Omit<GradientEmulatorOptions, 'vendors' | 'dataFile'>;
  /** Secrets Manager emulator settings, e.g. how long a force-deleted secret takes to go. */
  secrets?: Pick<SecretsManagerEmulatorOptions, 'forceDeleteDelayMs'>;
  /** Requests/s all local workers and the API share (GRADIENT_RATE_BUDGET; default 95, under the emulator's 100). */
  rateBudget?: number;
  queue?: InProcessQueueOptions;
  /** Extra environment (e.g. GRADIENT_TIMEOUT_MS) applied before configuration is parsed. */
  env?: Record<string, string>;
}

export interface LocalStack {
  env: Env;
  /** The worker's (and planner's) dependencies. */
  deps: AppDeps;
  /** The API's: built apart, as another Lambda has them, so key caches behave as in AWS. */
  apiDeps: AppDeps;
  /** The API process (`apiDeps` and its settings), as the API handler receives it. */
  apiProcess: ApiProcess;
  /** The API handler on `apiProcess`. */
  api: ProxyHandler;
  queue: InProcessQueue;
  /** The vendor's event bus, in process: what the worker and the API put on it. */
  events: InProcessEventBus;
  /** The built-in Gradient, unless another base URL was configured. */
  emulator?: GradientEmulator;
  gradientUrl: string;
  /** One worker handler (one Lambda instance). */
  worker: WorkerHandler;
  /** WORKER_MAX_CONCURRENCY handlers (`worker` first), each its own instance, all drawing from one shared budget. */
  workers: WorkerHandler[];
  planner: (scheduledTime?: Date) => Promise<PlanResult>;
  /** Runs an earlier process left open, queued again on start. */
  resumed: string[];
  close(): Promise<void>;
}

const localTableNames = (): Record<string, string> =>
  Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `local-${t.id}`]));

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { dataDir } = options;
  const vendorApiKey = options.vendorApiKey ?? LOCAL_VENDOR.vendorApiKey;
  const dynamo = await startDynalite(dataDir ? { path: join(dataDir, 'dynamodb') } : {});
  const secrets = await startSecretsManagerEmulator({
    ...options.secrets,
    ...(dataDir && { dataFile: join(dataDir, 'secrets.json') }),
  });
  const emulator = options.gradientBaseUrl
    ? undefined
    : await startGradientEmulator({
        ...options.emulator,
        vendors: [{ ...LOCAL_VENDOR, vendorApiKey }],
        ...(dataDir && { dataFile: join(dataDir, 'gradient.json') }),
      });
  const gradientUrl = options.gradientBaseUrl ?? emulator!.url;

  // The same variables a deployed Lambda reads; SDK clients pick the endpoints up by themselves.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    ...localTableNames(),
    VENDOR_KEY_SECRET_ID: `${SERVICE_NAME}/vendor-key`,
    PARTNER_SECRET_PREFIX: `${SERVICE_NAME}/partner/`,
    GRADIENT_BASE_URL: gradientUrl,
    GRADIENT_RATE_BUDGET: String(options.rateBudget ?? LOCAL_RATE_BUDGET),
    WORKER_MAX_CONCURRENCY: process.env.WORKER_MAX_CONCURRENCY ?? '4',
    WORK_QUEUE_MAX_RECEIVE_COUNT: String(options.queue?.maxReceiveCount ?? WORK_QUEUE_MAX_RECEIVE_COUNT),
    ...options.env,
  });
  resetEnvCache();
  const env = parseEnv(process.env);

  const dynamoClient = createDynamoClient();
  await ensureTables(dynamoClient, localTableNames(), {
    [TABLES.runs.envVar]: withOpenMarker,
    [TABLES.partners.envVar]: withFleetKey,
  });
  // The one-off step a deployment runs after upgrading, done here on start (a no-op once it completed).
  await migrateHeldValues(createDocumentClient(dynamoClient), env);
  dynamoClient.destroy();
  await storeVendorKey(env.VENDOR_KEY_SECRET_ID, vendorApiKey);

  const queue = new InProcessQueue({ functionTimeoutMs: localWorkerTimeoutMs(process.env), ...options.queue });
  const events = new InProcessEventBus();
  const deps = buildDeps(env, { queue, events });
  const api = apiProcess(env, { queue, events });
  const getDeps = async () => deps;
  // Each worker handler is a Lambda instance: its own gates, over the one graph of the local tables.
  const workers = Array.from({ length: env.WORKER_MAX_CONCURRENCY }, () => {
    const worker = workerProcess(env, { deps });
    return createWorkerHandler(async () => worker) as WorkerHandler;
  });
  const worker = workers[0]!;
  const plannerHandler = createPlannerHandler(getDeps);
  const resumed = await resumeOpenRuns(deps);

  return {
    env,
    deps,
    apiDeps: api.deps,
    apiProcess: api,
    api: createApiHandler(async () => api) as ProxyHandler,
    queue,
    events,
    ...(emulator && { emulator }),
    gradientUrl,
    worker,
    workers,
    resumed,
    planner: (scheduledTime = new Date()) =>
      plannerHandler({ scheduledTime: scheduledTime.toISOString() }, localContext('planner')),
    close: async () => {
      await Promise.all([dynamo.close(), secrets.close(), emulator?.close()]);
    },
  };
}

const localWorkerTimeoutSchema = z.coerce
  .number()
  .positive()
  .max(900, 'a Lambda times out after 900 s at most')
  .default(WORKER_TIMEOUT_SECONDS);

/** LOCAL_WORKER_TIMEOUT_S: the simulated Lambda timeout of the local worker (the deployed worker's by default). */
export function localWorkerTimeoutMs(source: NodeJS.ProcessEnv): number {
  const parsed = localWorkerTimeoutSchema.safeParse(source.LOCAL_WORKER_TIMEOUT_S || undefined);
  if (!parsed.success) {
    throw new Error(`invalid configuration: LOCAL_WORKER_TIMEOUT_S: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data * 1_000;
}

/** The operator's step after deploy (`aws secretsmanager put-secret-value`), done for the local stack. */
async function storeVendorKey(secretId: string, value: string): Promise<void> {
  const client = createSecretsManagerClient();
  try {
    const current = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (current.SecretString !== value)
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateSecretCommand({ Name: secretId, SecretString: value }));
  } finally {
    client.destroy();
  }
}
