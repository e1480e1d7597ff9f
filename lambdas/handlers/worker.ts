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
import { errorText } from '../core/calls/caller';
import { PartnerBusyError, RunBusyError, RunIncompleteError } from '../core/errors';
import { runDeadLetteredEvent } from '../core/events/build';
import { publishSafely } from '../core/events/publish';
import { laneOf } from '../core/model';
import { runSync } from '../core/sync/run-sync';
import { syncRequestSchema } from '../shared/messages';
import { logger, powertoolsMetrics } from '../shared/observability';
import { productionWorker, type WorkerProcess, type WorkerSettings } from '../wiring';

export type { WorkerSettings };

/**
 * The margin before the Lambda timeout: min(cap, share × the time left). It covers the calls in flight when the
 * deadline comes and the hand-over's writes; on a deployed worker (300 s) it is the 15 s cap, on a short
 * simulated timeout (e.g. 20 s) a tenth of it, so most of the invocation still sends.
 */
export const safetyMargin = (
  settings: Pick<WorkerSettings, 'safetyMarginMs' | 'safetyMarginShare'>,
  remainingMs: number,
) => Math.min(settings.safetyMarginMs, remainingMs * settings.safetyMarginShare);

/** The worker handler over its process (production's, the local stack's, or a test's). */
export function createWorkerHandler(getProcess: () => Promise<WorkerProcess>) {
  const processor = new BatchProcessor(EventType.SQS);

  const recordHandler = async (record: SQSRecord, context: Context) => {
    const { deps, settings, gates } = await getProcess();
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
        gate: gates(request.partnerId, laneOf(request)),
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
      if (receiveCount >= settings.maxReceiveCount) {
        // This was the message's last receive: it goes to the DLQ now, and the vendor's people hear of it.
        const at = deps.clock.now().toISOString();
        await publishSafely(deps, [runDeadLetteredEvent(request, { receiveCount, reason: errorText(error), at })]);
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

export const handler = createWorkerHandler(productionWorker);
