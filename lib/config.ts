// Per-stage deployment configuration, read from CDK context and validated with zod at synth time.
// Precedence: `-c key=value` on the command line > context `stages.<stage>.<key>` (cdk.json) > defaults.
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import * as z from 'zod';
import { numberSetting, SETTINGS } from '../lambdas/shared/settings';

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
  'partnerTeamEmails',
  'logRetentionDays',
  'logLevel',
  'apiThrottleRateLimit',
  'apiThrottleBurstLimit',
  'apiGatewayCloudWatchRole',
  'retainData',
  'consoleBackendRoleArns',
  'connectionThrottleRateLimit',
  'connectionThrottleBurstLimit',
  'resyncMaxClosedPeriods',
] as const;

// CLI context values arrive as strings: accept 'true'/'false' as well as JSON booleans.
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** A throwaway stage: may discard its data and may leave the API open to the account's IAM (see below). */
export const isDevStage = (stage: string): boolean => stage.startsWith('dev');

/** A list setting: a JSON array (cdk.json) or comma-separated on the command line (`-c name=a,b`). */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((a) => a.trim())
            .filter((a) => a !== '')
        : v,
    z.array(item),
  );

// IAM role ARNs (`-c consoleBackendRoleArns=arn:…,arn:…`).
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const roleArns = listOf(
  z.string().regex(ROLE_ARN, 'must be IAM role ARNs, e.g. arn:aws:iam::123456789012:role/console-backend'),
);

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
      .default(SETTINGS.GRADIENT_BASE_URL.default),
    // The tunables the Lambdas receive as variables: defaults and bounds in lambdas/shared/settings.ts.
    gradientTimeoutMs: numberSetting('GRADIENT_TIMEOUT_MS', 'deploy'),
    gradientRateBudget: numberSetting('GRADIENT_RATE_BUDGET', 'deploy'),
    workerMaxConcurrency: numberSetting('WORKER_MAX_CONCURRENCY', 'deploy'),
    alarmEmail: z.email().optional(),
    /** E-mail addresses subscribed to the partner team topic (the example rule's: keys rejected). */
    partnerTeamEmails: listOf(z.email()).default([]),
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
    /**
     * The roles allowed to invoke the API (the vendor console backend): its resource policy denies every other
     * principal. Required outside dev stages; unset on a dev stage, the API admits the account's principals
     * that IAM allows (and denies every other account).
     */
    consoleBackendRoleArns: roleArns.default([]),
    /** Method throttle of the routes that call Gradient outside the worker's budget (connection, test, mapping sync). */
    connectionThrottleRateLimit: z.coerce.number().int().min(1).max(100).default(5),
    connectionThrottleBurstLimit: z.coerce.number().int().min(1).max(200).default(10),
    /** How many closed periods back a manual resync may reach (1: the previous month); the API enforces it. */
    resyncMaxClosedPeriods: numberSetting('RESYNC_MAX_CLOSED_PERIODS', 'deploy'),
  })
  .transform((c) => {
    const retainData = c.retainData ?? !isDevStage(c.stage);
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
    if (c.connectionThrottleBurstLimit < c.connectionThrottleRateLimit) {
      ctx.addIssue({
        code: 'custom',
        path: ['connectionThrottleBurstLimit'],
        message: 'must be ≥ connectionThrottleRateLimit',
      });
    }
    if (c.connectionThrottleRateLimit > c.apiThrottleRateLimit) {
      ctx.addIssue({
        code: 'custom',
        path: ['connectionThrottleRateLimit'],
        message: `must not exceed apiThrottleRateLimit (${c.apiThrottleRateLimit}): it is the stricter limit`,
      });
    }
    if (c.consoleBackendRoleArns.length === 0 && !isDevStage(c.stage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['consoleBackendRoleArns'],
        message:
          'required outside dev stages: the IAM role ARN(s) of the vendor console backend, the only callers ' +
          'the API admits (comma-separated)',
      });
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
