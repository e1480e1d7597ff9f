// Creating a run and its queue message, one at a time (a manual resync) or a batch of them (the nightly planner):
// the same run record and the same message either way, so retries, the DLQ and idempotency are the same for both.
import { errorMessage } from '../errors';
import type { Period, Run, RunLane, RunTrigger, SyncRequest } from '../model';
import { emptySummary, laneOf } from '../model';
import type { EnqueueDeps, QueueBatchFailure } from '../ports';

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
  /** Its lane in the shared budget; by default the one its trigger and `full` imply (`laneOf`). */
  lane?: RunLane;
  queuedAt: Date;
}

/**
 * Records the run as `queued`, then sends its message. Both steps are idempotent on the run id, so a planner
 * invoked twice for the same schedule tick, or a retried resync, creates no second run.
 */
export async function enqueueRun(deps: EnqueueDeps, input: EnqueueInput): Promise<Run> {
  const run = runOf(input);
  await deps.runs.create(run);
  await deps.queue.send(syncRequestOf(run));
  return run;
}

export interface BatchEnqueueResult {
  /** The inputs whose run is recorded and whose message was sent. */
  enqueued: EnqueueInput[];
  failed: Array<{ input: EnqueueInput; error: string }>;
}

/**
 * `enqueueRun` for up to QUEUE_BATCH_MAX runs: records them all at once, then sends the messages of those recorded
 * in one batch. Never rejects: a run that could not be recorded gets no message, and it and any message the queue
 * did not take are answered in `failed`, so one run's failure costs the others nothing.
 */
export async function enqueueRuns(deps: EnqueueDeps, inputs: readonly EnqueueInput[]): Promise<BatchEnqueueResult> {
  const failed: BatchEnqueueResult['failed'] = [];
  const created = await Promise.all(
    inputs.map(async (input) => {
      try {
        await deps.runs.create(runOf(input));
        return input;
      } catch (error) {
        failed.push({ input, error: errorMessage(error) });
        return undefined;
      }
    }),
  );
  const recorded = created.filter((input) => input !== undefined);
  let unsent: QueueBatchFailure[];
  try {
    unsent = recorded.length === 0 ? [] : await deps.queue.sendBatch(recorded.map(requestOf));
  } catch (error) {
    unsent = recorded.map((_, index) => ({ index, error: errorMessage(error) }));
  }
  const notSent = new Set(unsent.map((f) => f.index));
  for (const f of unsent) failed.push({ input: recorded[f.index]!, error: f.error });
  return { enqueued: recorded.filter((_, index) => !notSent.has(index)), failed };
}

const runOf = (input: EnqueueInput): Run => newRun(requestOf(input), input.queuedAt);

/** The request of an input, its lane decided. */
const requestOf = (input: EnqueueInput): SyncRequest => ({ ...syncRequestOf(input), lane: laneOf(input) });

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
    ...(run.lane && { lane: run.lane }),
  };
}
