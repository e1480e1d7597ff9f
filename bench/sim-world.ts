// The simulated world the design-scale benches (bench:calendar, bench:large) run the real handlers, core and
// repositories in: configuration that points nowhere real, DynamoDB in memory (metered), a vendor-wide Gradient,
// the SQS queue and virtual time (calendar-sim.ts), and the partner keys in a map instead of Secrets Manager.
import type { GradientPort } from '../lambdas/core/ports';
import { SimGradient, SimQueue, type VirtualClock } from './calendar-sim';
import { MemoryDynamo } from './memory-dynamo';

export interface SimWorldOptions {
  /** Table names are `<prefix>-<table id>`. */
  tablePrefix: string;
  budget: number;
  workers: number;
  /** The world's time: every sleep, deadline and timestamp. */
  clock: VirtualClock;
  /** How writes are named in the meter (MemoryDynamo's `meterAs`). */
  meterAs?: ConstructorParameters<typeof MemoryDynamo>[1];
  /** Wraps each partner's Gradient port (a counting decorator, say). */
  wrapGradient?: (port: GradientPort) => GradientPort;
  /** Gradient's answer time, virtual ms (SimGradient's default when absent). */
  latencyMs?: { min: number; max: number };
}

export async function simWorld(o: SimWorldOptions) {
  const { parseEnv, resetEnvCache } = await import('../lambdas/shared/env');
  const { ALL_TABLES } = await import('../lambdas/shared/tables');
  const { buildDeps } = await import('../lambdas/wiring');
  const { createRepositories } = await import('../lambdas/adapters/dynamo');

  const tables = Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `${o.tablePrefix}-${t.id}`]));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    // Nothing may reach a real endpoint: every port below is replaced.
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
    ...tables,
    VENDOR_KEY_SECRET_ID: 'bench/vendor-key',
    PARTNER_SECRET_PREFIX: 'bench/partner/',
    GRADIENT_BASE_URL: 'http://127.0.0.1:9',
    GRADIENT_RATE_BUDGET: String(o.budget),
    WORKER_MAX_CONCURRENCY: String(o.workers),
    WORK_QUEUE_MAX_RECEIVE_COUNT: '5',
  });
  resetEnvCache();
  const env = parseEnv(process.env);

  const { clock } = o;
  const dynamo = new MemoryDynamo(tables, o.meterAs);
  const gradient = new SimGradient(clock, 100, o.latencyMs);
  const queue = new SimQueue(clock, 30 * 60_000, env.WORK_QUEUE_MAX_RECEIVE_COUNT);
  const keys = new Map<string, string>();
  const wrap = o.wrapGradient ?? ((port: GradientPort) => port);
  const deps = buildDeps(env, {
    ...createRepositories(dynamo.documentClient(), env),
    keys: {
      put: async (p, k) => void keys.set(p, k),
      get: async (p) => keys.get(p),
      delete: async (p) => void keys.delete(p),
      assertStorable: () => undefined,
    },
    gradient: (key) => wrap(gradient.port(key)),
    queue,
    clock,
    metrics: { add: () => undefined },
  });
  return { env, dynamo, gradient, queue, deps, getDeps: async () => deps };
}
