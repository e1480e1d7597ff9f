// Names and tuning constants shared by the Lambdas, the local stack and the CDK stack (lib/ imports this
// file too): each is declared here once.

/** The Powertools service name, the `service` metric dimension and the `app` tag on partner secrets. */
export const SERVICE_NAME = 'gradient-billing-sync';

/** What Secrets Manager accepts as a secret name: letters, digits and `/_+=.@-`, at most 512 characters. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The CloudWatch namespace of the EMF metrics every Lambda emits. */
export const METRICS_NAMESPACE = 'GradientBillingSync';

/** The CloudFormation stack of a stage (bin/app.ts): what the CLI's `--stack` defaults to, the alarms' prefix. */
export const stackNameOf = (stage: string): string => `GradientBillingSync-${stage}`;

/** The work queue's maxReceiveCount: the delivery with this receive count is the last before the DLQ. */
export const WORK_QUEUE_MAX_RECEIVE_COUNT = 5;

/** The worker Lambda's timeout (the CDK stack's), and the local stack's simulated one unless LOCAL_WORKER_TIMEOUT_S. */
export const WORKER_TIMEOUT_SECONDS = 300;

/** How many closed periods back a manual resync may reach (RESYNC_MAX_CLOSED_PERIODS): 1 is the previous month. */
export const DEFAULT_RESYNC_MAX_CLOSED_PERIODS = 1;

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
 * Connection tests per partner id and minute, across every API instance: a test with a key in the body is a
 * key-check oracle on the vendor key for anyone who may call the API, so it is rate limited (429 past it).
 */
export const CONNECTION_TEST_LIMIT = { max: 10, windowSeconds: 60 } as const;
