// The composition root: real adapters wired from the environment, once per process and per handler (the planner
// gets only what it uses: no Secrets Manager client, no Gradient factory). The local stack builds the very same
// graph, pointed at local endpoints through AWS_ENDPOINT_URL_* and GRADIENT_BASE_URL.

import { createDocumentClient, createDynamoClient, createRepositories } from '../adapters/dynamo';
import { createGradientFactory } from '../adapters/gradient-client';
import { createSecretsManagerClient, SecretsManagerKeyStore, vendorKeyReader } from '../adapters/secrets-key-store';
import { createSqsClient, SqsSyncQueue } from '../adapters/sqs-queue';
import { systemClock } from '../adapters/system-clock';
import { type BudgetSettings, budgetedFactory, budgetGates } from '../core/calls/shared-budget';
import type { AppDeps, PlannerDeps, SyncQueue } from '../core/ports';
import { type Env, env } from './env';
import { logPort, metricsPort } from './observability';
import { traced } from './tracing';

/** A queue that refuses to send: for processes configured without QUEUE_URL (e.g. the planner's tests). */
const noQueue: SyncQueue = {
  send: async () => {
    throw new Error('QUEUE_URL is not configured');
  },
  sendBatch: async () => {
    throw new Error('QUEUE_URL is not configured');
  },
};

const queueFor = (config: Env): SyncQueue =>
  config.QUEUE_URL ? new SqsSyncQueue(traced(createSqsClient()), config.QUEUE_URL) : noQueue;

/** Everything the worker uses (the API's graph adds its budget gate): each its own graph, with its own key caches. */
export function buildDeps(config: Env, overrides: Partial<AppDeps> = {}): AppDeps {
  const secrets = traced(createSecretsManagerClient());
  const repos = createRepositories(createDocumentClient(traced(createDynamoClient())), config);
  const vendorKey = vendorKeyReader(secrets, config.VENDOR_KEY_SECRET_ID);
  return {
    ...repos,
    keys: new SecretsManagerKeyStore(secrets, {
      prefix: config.PARTNER_SECRET_PREFIX,
      ...(config.PARTNER_SECRET_KMS_KEY_ID && { kmsKeyId: config.PARTNER_SECRET_KMS_KEY_ID }),
    }),
    gradient: createGradientFactory({
      baseUrl: config.GRADIENT_BASE_URL,
      vendorApiKey: vendorKey,
      timeoutMs: config.GRADIENT_TIMEOUT_MS,
    }),
    queue: queueFor(config),
    clock: systemClock,
    log: logPort(),
    metrics: metricsPort(),
    ...overrides,
  };
}

/** The shared Gradient rate budget of a configuration, claimed `claimSize` tokens at a time. */
export const budgetSettings = (config: Env, claimSize: number): BudgetSettings => ({
  perSecond: config.GRADIENT_RATE_BUDGET,
  scope: config.GRADIENT_RATE_SCOPE,
  claimSize,
  fallbackPerSecond: config.GRADIENT_RATE_BUDGET / config.WORKER_MAX_CONCURRENCY,
});

/**
 * The API's: the worker's graph with every Gradient call drawn from the shared budget, one token per claim (its
 * calls are few, a claimed token it does not use would be lost to the workers).
 */
export function buildApiDeps(config: Env, overrides: Partial<AppDeps> = {}): AppDeps {
  const deps = buildDeps(config, overrides);
  const gates = budgetGates(deps, budgetSettings(config, 1));
  return { ...deps, gradient: budgetedFactory(deps.gradient, gates) };
}

/** The planner's slice: partners to plan and runs to enqueue. */
export function buildPlannerDeps(config: Env): PlannerDeps {
  const { partners, runs } = createRepositories(createDocumentClient(traced(createDynamoClient())), config);
  return { partners, runs, queue: queueFor(config), clock: systemClock, log: logPort(), metrics: metricsPort() };
}

/** A process-wide value built on first use (SDK clients live across invocations). */
const once = <T>(build: () => T): (() => Promise<T>) => {
  let built: Promise<T> | undefined;
  return () => {
    built ??= Promise.resolve().then(build);
    return built;
  };
};

// `@__PURE__`: a bundle that never calls one of these (the planner's) drops it and everything only it builds.
/** The worker's dependencies (its Gradient calls are paced by the sync's caller, through the same budget). */
export const productionDeps = /* @__PURE__ */ once(() => buildDeps(env()));

/** The API's dependencies. */
export const productionApiDeps = /* @__PURE__ */ once(() => buildApiDeps(env()));

/** The planner's dependencies. */
export const productionPlannerDeps = /* @__PURE__ */ once(() => buildPlannerDeps(env()));
