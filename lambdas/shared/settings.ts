// Every tunable of the service, declared once: the defaults and bounds the deploy configuration (lib/config.ts,
// camelCase keys in cdk.json) and the runtime environment (env.ts, the variables a Lambda reads) both build
// their schemas from, and the tuning constants no one configures. A leaf module: imported by lib/ too.
import * as z from 'zod';

/** A numeric setting. `deployMin` is the deploy configuration's tighter floor where AWS or Gradient needs one. */
interface NumericSetting {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly deployMin?: number;
  /** The message of a value past `max`. */
  readonly maxReason?: string;
  /** The message of a value under `deployMin`. */
  readonly deployMinReason?: string;
}

export const SETTINGS = {
  /** Gradient's API origin. */
  GRADIENT_BASE_URL: { default: 'https://app.usegradient.com' },
  /**
   * Timeout of one Gradient call. A deployment waits at least a second; the local stack and the fault tests go
   * lower to provoke timeouts quickly.
   */
  GRADIENT_TIMEOUT_MS: { default: 10_000, min: 1, max: 60_000, integer: true, deployMin: 1_000 },
  /**
   * Requests per second to Gradient, shared by every worker and the API (Gradient allows 100): a lone run may take
   * all of it, concurrent runs share it.
   */
  GRADIENT_RATE_BUDGET: {
    default: 80,
    min: 1,
    max: 100,
    integer: false,
    maxReason: 'must be at most 100 (Gradient allows 100 req/s)',
  },
  /**
   * The worker's maximum concurrency (runs at once). SQS event sources take 2 to 1000; the local stack and the
   * bench may run a single worker.
   */
  WORKER_MAX_CONCURRENCY: {
    default: 4,
    min: 1,
    max: 1000,
    integer: true,
    deployMin: 2,
    deployMinReason: 'must be at least 2 (SQS event source minimum)',
  },
  /** How many closed periods back a manual resync may reach: 1 is the previous month, 0 the current period only. */
  RESYNC_MAX_CLOSED_PERIODS: { default: 1, min: 0, max: 24, integer: true },
  /** The work queue's maxReceiveCount: the delivery with this receive count is the last before the DLQ. */
  WORK_QUEUE_MAX_RECEIVE_COUNT: { default: 5, min: 1, max: 1000, integer: true },
} as const satisfies { GRADIENT_BASE_URL: { default: string } } & Record<string, NumericSetting | { default: string }>;

export type NumericSettingName = Exclude<keyof typeof SETTINGS, 'GRADIENT_BASE_URL'>;

/**
 * The zod schema of a numeric setting, coerced from text, with its default: the runtime's bounds, or with
 * `deploy` the deploy configuration's (its tighter floor where it has one).
 */
export function numberSetting(name: NumericSettingName, scope: 'runtime' | 'deploy' = 'runtime') {
  const s: NumericSetting = SETTINGS[name];
  const base = s.integer ? z.coerce.number().int() : z.coerce.number();
  const floor = scope === 'deploy' && s.deployMin !== undefined ? s.deployMin : s.min;
  const reason = scope === 'deploy' && s.deployMin !== undefined ? s.deployMinReason : undefined;
  return base
    .min(floor, reason)
    .max(s.max, s.maxReason)
    .default(s.default as never);
}

/** The work queue's maxReceiveCount as deployed (the CDK stack's redrive policy). */
export const WORK_QUEUE_MAX_RECEIVE_COUNT = SETTINGS.WORK_QUEUE_MAX_RECEIVE_COUNT.default;

/** The worker Lambda's timeout (the CDK stack's), and the local stack's simulated one unless LOCAL_WORKER_TIMEOUT_S. */
export const WORKER_TIMEOUT_SECONDS = 300;

/** How the worker paces and retries its Gradient calls inside one invocation. */
export const WORKER_TUNING = {
  /** Calls one worker has in flight at most. */
  maxInFlight: 16,
  /**
   * Stop starting calls this long before the Lambda times out, to save progress and hand over: at most this,
   * and at most `safetyMarginShare` of the invocation's time (a short simulated timeout keeps most of its time).
   */
  safetyMarginMs: 15_000,
  safetyMarginShare: 0.1,
  /** Capped, jittered backoff for 429/5xx/timeouts. */
  retry: { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 },
  /** How long a run waits (SQS DelaySeconds of its message's copy) while another run of its partner syncs. */
  partnerBusyDelaySeconds: 30,
} as const;

/**
 * The shared rate budget's margin for the jitter between a token's slot and its request's arrival at Gradient: a
 * token goes at most this long after its slot, or lapses unsent. At the local budget of 95 any sliding second then
 * holds at most 95 × 1.01 + 1 ≈ 97 sends, under Gradient's 100, with room left for the network's own jitter.
 */
export const RATE_BUDGET_LATE_MS = 10;

/**
 * The share of each second of the Gradient budget a lane that wants tokens keeps whatever the lanes ahead of it
 * want (`core/calls/lanes.ts`): first nights and full resyncs always progress, at 9.5 requests a second at least
 * at the local budget of 95 (the lanes ahead take the rest only while they want it).
 */
export const RATE_BUDGET_LANE_FLOOR_SHARE = 0.1;

/**
 * Connection tests per partner id and minute, across every API instance: a test with a key in the body is a
 * key-check oracle on the vendor key for anyone who may call the API, so it is rate limited (429 past it).
 */
export const CONNECTION_TEST_LIMIT = { max: 10, windowSeconds: 60 } as const;
