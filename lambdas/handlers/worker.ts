// Worker λ: SQS → one partner's sync per message. Failed messages are reported per item so SQS redelivers
// only those (and, past maxReceiveCount, moves them to the DLQ). A run whose partner is busy with another run
// waits: its message is sent again with a delay and the original counts as processed, so waiting is no failure
// and never moves a message toward the DLQ. A run out of time with progress made was handed over to a
// continuation message (sent by the sync): this delivery is acknowledged, no failure either.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type BudgetSettings, budgetGates, type GateFor, workerClaimSize } from '../core/calls/shared-budget';
import { PartnerBusyError, RunBusyError, RunIncompleteError } from '../core/errors';
import type { AppDeps } from '../core/ports';
import { runSync, type SyncOptions } from '../core/sync/run-sync';
import { budgetSettings, productionDeps } from '../shared/deps';
import { type Env, env } from '../shared/env';
import { syncRequestSchema } from '../shared/messages';
import { WORKER_TUNING } from '../shared/names';
import { logger, powertoolsMetrics } from '../shared/observability';

export interface WorkerSettings {
  /** The Gradient rate budget every worker (and the API) draws from. */
  rate: BudgetSettings;
  maxInFlight: number;
  /** Stop starting calls this long (at most) before the Lambda times out, to save progress. */
  safetyMarginMs: number;
  /** …and at most this share of the time the invocation has (see `safetyMargin`). */
  safetyMarginShare: number;
  retry: SyncOptions['retry'];
  /** The queue's maxReceiveCount: the delivery with this receive count is the last one. */
  maxReceiveCount: number;
  /** The delay of a waiting run's message copy while its partner is busy. */
  partnerBusyDelaySeconds: number;
}

/** The worker's settings for a configuration: the shared budget plus the tuning in `names.ts`. */
export const workerSettings = (config: Env): WorkerSettings => ({
  rate: budgetSettings(config, workerClaimSize(config.GRADIENT_RATE_BUDGET)),
  maxInFlight: WORKER_TUNING.maxInFlight,
  safetyMarginMs: WORKER_TUNING.safetyMarginMs,
  safetyMarginShare: WORKER_TUNING.safetyMarginShare,
  retry: { ...WORKER_TUNING.retry },
  maxReceiveCount: config.WORK_QUEUE_MAX_RECEIVE_COUNT,
  partnerBusyDelaySeconds: WORKER_TUNING.partnerBusyDelaySeconds,
});

export const workerSettingsFromEnv = (): WorkerSettings => workerSettings(env());

/**
 * The margin before the Lambda timeout: min(cap, share × the time left). It covers the calls in flight when the
 * deadline comes and the hand-over's writes; on a deployed worker (300 s) it is the 15 s cap, on a short
 * simulated timeout (e.g. 20 s) a tenth of it, so most of the invocation still sends.
 */
export const safetyMargin = (
  settings: Pick<WorkerSettings, 'safetyMarginMs' | 'safetyMarginShare'>,
  remainingMs: number,
) => Math.min(settings.safetyMarginMs, remainingMs * settings.safetyMarginShare);

export function createWorkerHandler(getDeps: () => Promise<AppDeps>, getSettings: () => WorkerSettings) {
  const processor = new BatchProcessor(EventType.SQS);
  let gates: GateFor | undefined; // one per process: every message of a warm worker claims through the same gates

  const recordHandler = async (record: SQSRecord, context: Context) => {
    const deps = await getDeps();
    const settings = getSettings();
    gates ??= budgetGates(deps, settings.rate);
    const parsed = syncRequestSchema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Never succeeds on redelivery either: fail it so it lands in the DLQ, where the alarm shows it.
      logger.error('invalid sync message', { messageId: record.messageId, issues: parsed.error.issues });
      throw new Error(`invalid sync message ${record.messageId}`);
    }
    const request = parsed.data;
    const remaining = context.getRemainingTimeInMillis();
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    try {
      const result = await runSync(deps, request, {
        gate: gates(request.partnerId),
        deadline: deps.clock.now().getTime() + remaining - safetyMargin(settings, remaining),
        leaseMs: remaining + 5_000,
        maxInFlight: settings.maxInFlight,
        retry: settings.retry,
        finalDelivery: receiveCount >= settings.maxReceiveCount,
      });
      if (result.kind === 'handed_over') {
        logger.info('run continues in a fresh delivery', {
          partnerId: request.partnerId,
          runId: request.runId,
          continuation: result.continuation,
        });
        return { runId: request.runId, continuation: result.continuation };
      }
      return { runId: request.runId, status: result.run.status, duplicate: result.kind === 'already_finished' };
    } catch (error) {
      if (error instanceof PartnerBusyError) {
        await deps.queue.send(request, { delaySeconds: settings.partnerBusyDelaySeconds });
        logger.info('run waits for another run of its partner', {
          partnerId: request.partnerId,
          runId: request.runId,
          heldBy: error.heldBy,
          delaySeconds: settings.partnerBusyDelaySeconds,
        });
        return { runId: request.runId, waiting: true };
      }
      if (error instanceof RunBusyError && request.continuation) {
        // A second copy of a continuation: the delivery holding the run carries it on (and its own message comes
        // back if it dies), so this copy is done, not a failure moving toward the DLQ.
        logger.info('duplicate continuation ignored', { partnerId: request.partnerId, runId: request.runId });
        return { runId: request.runId, duplicate: true };
      }
      if (error instanceof RunBusyError || error instanceof RunIncompleteError) {
        logger.warn('run left for redelivery', {
          partnerId: request.partnerId,
          runId: request.runId,
          reason: error.message,
        });
      }
      throw error;
    }
  };

  return (
    middy(
      async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
        processPartialResponse(event, (record: SQSRecord) => recordHandler(record, context), processor, {
          context,
          // Expected conditions (busy, incomplete) are item failures, not function errors that page someone.
          throwOnFullBatchFailure: false,
        }),
    )
      // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it may carry a key.
      .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
      .use(logMetrics(powertoolsMetrics))
  );
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export const handler = createWorkerHandler(productionDeps, workerSettingsFromEnv);
