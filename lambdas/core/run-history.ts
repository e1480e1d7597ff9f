// A partner's run history: the runs, newest first, and one run with its per-line receipts.
import { NotFoundError } from './errors';
import type { LineReceipt, Run } from './model';
import { requirePartner } from './partners';
import type { AppDeps } from './ports';

export const DEFAULT_RUN_LIST_LIMIT = 20;
export const MAX_RUN_LIST_LIMIT = 100;

export async function listRuns(deps: AppDeps, partnerId: string, limit = DEFAULT_RUN_LIST_LIMIT): Promise<Run[]> {
  await requirePartner(deps, partnerId);
  return deps.runs.list(partnerId, Math.min(Math.max(1, limit), MAX_RUN_LIST_LIMIT));
}

export async function getRun(
  deps: AppDeps,
  partnerId: string,
  runId: string,
): Promise<{ run: Run; receipts: LineReceipt[] }> {
  await requirePartner(deps, partnerId);
  const run = await deps.runs.get(partnerId, runId);
  if (!run) throw new NotFoundError(`run ${runId} of partner ${partnerId} not found`);
  const receipts = await deps.runs.listReceipts(partnerId, runId);
  receipts.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.serviceKey.localeCompare(b.serviceKey));
  return { run, receipts };
}
