// Creating a run and its queue message: the one path shared by the nightly planner and a manual resync,
// so retries, the DLQ and idempotency are the same for both.
import type { Period, Run, RunTrigger, SyncRequest } from '../model';
import { emptySummary } from '../model';
import type { EnqueueDeps } from '../ports';

/** Time-sortable run id: newest-first listing is a Query in reverse key order. */
export function newRunId(at: Date, trigger: RunTrigger, suffix: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${trigger === 'schedule' ? 'n' : 'r'}-${suffix}`;
}

export interface EnqueueInput {
  runId: string;
  partnerId: string;
  period: Period;
  asOf: string;
  full: boolean;
  trigger: RunTrigger;
  queuedAt: Date;
}

/**
 * Records the run as `queued`, then sends its message. Both steps are idempotent on the run id, so a planner
 * invoked twice for the same schedule tick, or a retried resync, creates no second run.
 */
export async function enqueueRun(deps: EnqueueDeps, input: EnqueueInput): Promise<Run> {
  const run = newRun(syncRequestOf(input), input.queuedAt);
  await deps.runs.create(run);
  await deps.queue.send(syncRequestOf(run));
  return run;
}

/** A run as it is first recorded: `queued`, no delivery yet, nothing counted. */
export const newRun = (request: SyncRequest, queuedAt: Date): Run => ({
  ...syncRequestOf(request),
  status: 'queued',
  queuedAt: queuedAt.toISOString(),
  deliveries: 0,
  continuations: 0,
  summary: emptySummary(),
});

/** The queue message that asks for a run (also what a redrive or a test redelivers): only its request fields. */
export function syncRequestOf(run: SyncRequest): SyncRequest {
  return {
    runId: run.runId,
    partnerId: run.partnerId,
    period: run.period,
    asOf: run.asOf,
    full: run.full,
    trigger: run.trigger,
  };
}
