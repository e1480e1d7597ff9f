// The real adapters wired from a parsed environment: one graph per process (the planner gets only what it uses:
// no Secrets Manager client, no Gradient factory). The local stack builds the very same graph, pointed at local
// endpoints through AWS_ENDPOINT_URL_* and GRADIENT_BASE_URL.

import { createDocumentClient, createDynamoClient, createRepositories } from '../adapters/dynamo';
import { createEventBridgeClient, EventBridgeBus, noEvents } from '../adapters/eventbridge-bus';
import { createGradientFactory } from '../adapters/gradient-client';
import { createSecretsManagerClient, SecretsManagerKeyStore, vendorKeyReader } from '../adapters/secrets-key-store';
import { createSqsClient, SqsSyncQueue } from '../adapters/sqs-queue';
import { systemClock } from '../adapters/system-clock';
import { withStatusEvents } from '../core/events/publish';
import type { AppDeps, EventPublisher, PlannerDeps, SyncQueue } from '../core/ports';
import type { Env } from '../shared/env';
import { logPort, metricsPort } from '../shared/observability';

/** A queue that refuses to send: for processes configured without QUEUE_URL (e.g. the planner's tests). */
const noQueue: SyncQueue = {
  send: async () => {
    throw new Error('QUEUE_URL is not configured');
  },
  sendBatch: async () => {
    throw new Error('QUEUE_URL is not configured');
  },
};

/** Wraps an SDK client to record its calls (X-Ray subsegments); `untraced` leaves it as it is. */
export type Trace = <Client>(client: Client) => Client;
export const untraced: Trace = (client) => client;

const queueFor = (config: Env, trace: Trace): SyncQueue =>
  config.QUEUE_URL ? new SqsSyncQueue(trace(createSqsClient()), config.QUEUE_URL) : noQueue;

const eventsFor = (config: Env, trace: Trace): EventPublisher =>
  config.EVENT_BUS_NAME ? new EventBridgeBus(trace(createEventBridgeClient()), config.EVENT_BUS_NAME) : noEvents;

/** Everything the worker and the API use: each process its own graph, with its own key caches. */
export function buildDeps(config: Env, overrides: Partial<AppDeps> = {}, trace: Trace = untraced): AppDeps {
  const secrets = trace(createSecretsManagerClient());
  const repos = createRepositories(createDocumentClient(trace(createDynamoClient())), config);
  const vendorKey = vendorKeyReader(secrets, config.VENDOR_KEY_SECRET_ID);
  const events = overrides.events ?? eventsFor(config, trace);
  const log = overrides.log ?? logPort();
  const clock = overrides.clock ?? systemClock;
  return {
    ...repos,
    // Every status change of a partner is a put: the one place "Partner Status Changed" is raised.
    partners: withStatusEvents(repos.partners, { events, log, clock }),
    events,
    keys: new SecretsManagerKeyStore(secrets, {
      prefix: config.PARTNER_SECRET_PREFIX,
      ...(config.PARTNER_SECRET_KMS_KEY_ID && { kmsKeyId: config.PARTNER_SECRET_KMS_KEY_ID }),
    }),
    gradient: createGradientFactory({
      baseUrl: config.GRADIENT_BASE_URL,
      vendorApiKey: vendorKey,
      timeoutMs: config.GRADIENT_TIMEOUT_MS,
    }),
    queue: queueFor(config, trace),
    clock,
    log,
    metrics: metricsPort(),
    ...overrides,
  };
}

/** The planner's slice: partners to plan and runs to enqueue. */
export function buildPlannerDeps(config: Env, trace: Trace = untraced): PlannerDeps {
  const { partners, runs } = createRepositories(createDocumentClient(trace(createDynamoClient())), config);
  return { partners, runs, queue: queueFor(config, trace), clock: systemClock, log: logPort(), metrics: metricsPort() };
}
