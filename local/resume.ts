// On start, the local stack redelivers every run left `queued` or `running`: this process was the only one
// that could have held their leases, so they are void (SQS redelivery does this job in AWS).
import type { AppDeps } from '../lambdas/core/ports';
import { syncRequestOf } from '../lambdas/core/sync/enqueue';

/** Clears each open run's lease and its partner's lease, and sends its message again; answers the run ids. */
export async function resumeOpenRuns(deps: Pick<AppDeps, 'runs' | 'queue' | 'clock'>): Promise<string[]> {
  const past = new Date(deps.clock.now().getTime() - 1).toISOString();
  const resumed: string[] = [];
  for await (const run of deps.runs.listOpen()) {
    if (run.status === 'running') await deps.runs.update(run.partnerId, run.runId, { leaseUntil: past });
    await deps.runs.releasePartner(run.partnerId, run.runId);
    await deps.queue.send(syncRequestOf(run));
    resumed.push(run.runId);
  }
  return resumed;
}
