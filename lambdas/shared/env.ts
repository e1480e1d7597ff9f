// Runtime configuration of the Lambdas (and of the local stack, which sets the same variables).
// Parsed once with zod so a missing or malformed variable fails at init with a clear message.
import * as z from 'zod';
import { MAX_ID_LENGTH } from '../core/model';
import { SECRET_NAME_PATTERN } from './names';
import { numberSetting, SETTINGS } from './settings';
import { TABLES, type TableName } from './tables';
import { rateScopeSchema } from './vocabulary';

const tableNames = Object.fromEntries(
  Object.values(TABLES).map((t) => [t.envVar, z.string().min(1, `${t.envVar} must name the ${t.id} table`)]),
) as Record<(typeof TABLES)[TableName]['envVar'], z.ZodString>;

export const envSchema = z.object({
  ...tableNames,
  /** Partner keys live under `<prefix><partnerId>` in Secrets Manager: every valid id must make a valid name. */
  PARTNER_SECRET_PREFIX: z
    .string()
    .min(1)
    .refine(
      (prefix) => SECRET_NAME_PATTERN.test(`${prefix}${'x'.repeat(MAX_ID_LENGTH)}`),
      `with a ${MAX_ID_LENGTH}-character id must make a Secrets Manager name (A-Z a-z 0-9 / _ + = . @ -, at most 512)`,
    )
    .default('gradient-billing-sync/partner/'),
  /** Secrets Manager id of the secret holding the Gradient Vendor API key. */
  VENDOR_KEY_SECRET_ID: z.string().min(1),
  /** KMS key for partner secrets (optional: Secrets Manager's default key otherwise). */
  PARTNER_SECRET_KMS_KEY_ID: z.string().min(1).optional(),
  GRADIENT_BASE_URL: z.url().default(SETTINGS.GRADIENT_BASE_URL.default),
  // The tunables: defaults and bounds (and what each means) in settings.ts, shared with the deploy configuration.
  GRADIENT_TIMEOUT_MS: numberSetting('GRADIENT_TIMEOUT_MS'),
  GRADIENT_RATE_BUDGET: numberSetting('GRADIENT_RATE_BUDGET'),
  /** Whose requests share one budget: `vendor` (all partners together) or `partner` (one budget per partner). */
  GRADIENT_RATE_SCOPE: rateScopeSchema.default('vendor'),
  WORKER_MAX_CONCURRENCY: numberSetting('WORKER_MAX_CONCURRENCY'),
  WORK_QUEUE_MAX_RECEIVE_COUNT: numberSetting('WORK_QUEUE_MAX_RECEIVE_COUNT'),
  RESYNC_MAX_CLOSED_PERIODS: numberSetting('RESYNC_MAX_CLOSED_PERIODS'),
  /** SQS work queue (planner and API send, worker receives). */
  QUEUE_URL: z.string().min(1).optional(),
  /** The vendor's EventBridge bus for its own people's events (docs/events.md); none are put without it. */
  EVENT_BUS_NAME: z.string().min(1).optional(),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** The parsed environment; throws once with every problem listed. */
export function env(source: NodeJS.ProcessEnv = process.env): Env {
  if (source !== process.env) return parseEnv(source);
  cached ??= parseEnv(source);
  return cached;
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}

/** Forget the parsed environment (tests and the local stack change it). */
export function resetEnvCache(): void {
  cached = undefined;
}
