// Planner λ: the nightly schedule → one queued run per sync-enabled partner. Idempotent per schedule tick,
// so the scheduler's retry or an async re-invoke enqueues nothing twice.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { PlannerDeps } from '../core/ports';
import { type PlanResult, planNightly } from '../core/sync/plan';
import { plannerInputSchema } from '../shared/messages';
import { logger, powertoolsMetrics } from '../shared/observability';
import { productionPlannerDeps } from '../wiring';

export type { PlanResult };

/** The planner handler over the dependencies it uses; a full AppDeps fits too (the local stack passes one). */
export function createPlannerHandler(getDeps: () => Promise<PlannerDeps>) {
  return (
    middy(async (event: unknown): Promise<PlanResult> => {
      const deps = await getDeps();
      const input = plannerInputSchema.parse(event);
      const scheduledAt = input?.scheduledTime ? new Date(input.scheduledTime) : deps.clock.now();
      const result = await planNightly(deps, scheduledAt);
      if (result.failed.length > 0) {
        // Fail the invocation so Lambda's async retries (and then the failure destination) take over.
        throw new Error(
          `could not enqueue ${result.failed.length} partners: ${result.failed.map((f) => f.partnerId).join(', ')}`,
        );
      }
      return result;
    })
      // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it may carry a key.
      .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
      .use(logMetrics(powertoolsMetrics))
  );
}

export const handler = createPlannerHandler(productionPlannerDeps);
