// Per-stage deployment configuration, read from CDK context and validated with zod at synth time.
// Precedence: `-c key=value` on the command line > context `stages.<stage>.<key>` (cdk.json) > defaults.
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import * as z from 'zod';

/** Retention periods CloudWatch Logs accepts (RetentionDays in aws-cdk-lib). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Context keys the stack reads; each may also sit under `stages.<stage>` in cdk.json. */
export const CONFIG_KEYS = [
  'stage',
  'scheduleCron',
  'gradientBaseUrl',
  'gradientTimeoutMs',
  'gradientRateBudget',
  'workerMaxConcurrency',
  'alarmEmail',
  'logRetentionDays',
  'logLevel',
  'apiThrottleRateLimit',
  'apiThrottleBurstLimit',
  'apiGatewayCloudWatchRole',
  'retainData',
] as const;

// CLI context values arrive as strings: accept 'true'/'false' as well as JSON booleans.
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

// EventBridge Scheduler cron: six fields (minutes hours day-of-month month day-of-week year), one of the
// two day fields must be '?'. Accepts the bare fields or the `cron(...)` wrapper.
const cron = z
  .string()
  .trim()
  .transform((v) => v.replace(/^cron\((.*)\)$/, '$1').trim())
  .refine((v) => v.split(/\s+/).length === 6, {
    message: 'must have six fields "min hour day-of-month month day-of-week year", e.g. "0 2 * * ? *"',
    abort: true,
  })
  .refine(
    (v) => {
      const f = v.split(/\s+/);
      return f[2] === '?' || f[4] === '?';
    },
    { message: 'day-of-month or day-of-week must be "?" (EventBridge Scheduler cron rule)' },
  )
  .transform((v) => `cron(${v})`);

export const configSchema = z
  .object({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,19}$/, 'must be 2-20 lowercase letters, digits or dashes, starting with a letter'),
    /** Nightly sync start, always evaluated in UTC. */
    scheduleCron: cron.default('cron(0 2 * * ? *)'),
    gradientBaseUrl: z
      .url()
      .refine((u) => u.startsWith('https://'), { message: 'must be an https:// URL' })
      .default('https://app.usegradient.com'),
    gradientTimeoutMs: z.coerce.number().int().min(1000).max(60_000).default(10_000),
    /** Requests/s all workers together may send; Gradient answers 429 past 100. */
    gradientRateBudget: z.coerce
      .number()
      .positive()
      .max(100, 'must be at most 100 (Gradient allows 100 req/s)')
      .default(80),
    /** SQS event source maximum concurrency of the worker (SQS requires 2..1000). */
    workerMaxConcurrency: z.coerce
      .number()
      .int()
      .min(2, 'must be at least 2 (SQS event source minimum)')
      .max(1000)
      .default(4),
    alarmEmail: z.email().optional(),
    logRetentionDays: z.coerce
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    apiThrottleRateLimit: z.coerce.number().int().min(1).max(10_000).default(50),
    apiThrottleBurstLimit: z.coerce.number().int().min(1).max(5_000).default(100),
    /** Create the account-level API Gateway CloudWatch Logs role (needed once per account and region). */
    apiGatewayCloudWatchRole: flag.default(true),
    /** Keep tables on stack deletion with deletion protection; only a dev stage may turn this off. */
    retainData: flag.optional(),
  })
  .transform((c) => {
    const retainData = c.retainData ?? !c.stage.startsWith('dev');
    /** What stack deletion does to the stage's data (tables, queues, secrets, log groups): follows `retainData`. */
    const removalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    return { ...c, retainData, removalPolicy };
  })
  .superRefine((c, ctx) => {
    if (!c.retainData && (c.stage === 'prod' || c.stage.startsWith('prod-'))) {
      ctx.addIssue({ code: 'custom', path: ['retainData'], message: 'a production stage must retain its data' });
    }
    if (c.workerMaxConcurrency > c.gradientRateBudget) {
      ctx.addIssue({
        code: 'custom',
        path: ['workerMaxConcurrency'],
        message: `must not exceed gradientRateBudget (${c.gradientRateBudget}): each worker needs at least 1 request/s`,
      });
    }
    if (c.apiThrottleBurstLimit < c.apiThrottleRateLimit) {
      ctx.addIssue({ code: 'custom', path: ['apiThrottleBurstLimit'], message: 'must be ≥ apiThrottleRateLimit' });
    }
  });

export type StackConfig = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Raw values from context, command-line keys overriding the `stages.<stage>` block. */
export function readContext(node: Node): Record<string, unknown> {
  const stage = node.tryGetContext('stage') ?? 'dev';
  const stages = node.tryGetContext('stages') as Record<string, Record<string, unknown>> | undefined;
  const raw: Record<string, unknown> = { ...(stages?.[stage] ?? {}), stage };
  for (const key of CONFIG_KEYS) {
    const value = node.tryGetContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  return raw;
}

export function parseConfig(raw: Record<string, unknown>): StackConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid stack configuration (CDK context):\n${problems.join('\n')}`);
  }
  return result.data;
}

/** The validated configuration of the stage named by context `stage` (default `dev`). */
export function loadConfig(node: Node): StackConfig {
  return parseConfig(readContext(node));
}
