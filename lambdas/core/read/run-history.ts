// A partner's run history: the runs, newest first, a page at a time, and one run with its per-line receipts.
import { decodeCursor, encodeCursor } from '../cursor';
import { NotFoundError } from '../errors';
import type { LineReceipt, Run } from '../model';
import { knownPartner } from '../partners';
import type { AppDeps } from '../ports';

export const DEFAULT_RUN_LIST_LIMIT = 20;
export const MAX_RUN_LIST_LIMIT = 100;

export interface RunPage {
  runs: Run[];
  /** Where the next page starts; absent on the last page. */
  nextCursor?: string;
}

/** Up to `limit` runs, newest first, after `cursor` (a `nextCursor` of an earlier page) when given. */
export async function listRuns(
  deps: AppDeps,
  partnerId: string,
  limit = DEFAULT_RUN_LIST_LIMIT,
  cursor?: string,
): Promise<RunPage> {
  const before = cursor === undefined ? undefined : decodeCursor('runs', cursor, ['runId'] as const).runId;
  await knownPartner(deps, partnerId);
  const size = Math.min(Math.max(1, limit), MAX_RUN_LIST_LIMIT);
  // One more than asked tells whether a next page exists without an empty last page.
  const runs = await deps.runs.list(partnerId, size + 1, before === undefined ? {} : { before });
  if (runs.length <= size) return { runs };
  const page = runs.slice(0, size);
  return { runs: page, nextCursor: encodeCursor('runs', { runId: (page[size - 1] as Run).runId }) };
}

export async function getRun(
  deps: AppDeps,
  partnerId: string,
  runId: string,
): Promise<{ run: Run; receipts: LineReceipt[] }> {
  await knownPartner(deps, partnerId);
  const run = await deps.runs.get(partnerId, runId);
  if (!run) throw new NotFoundError(`run ${runId} of partner ${partnerId} not found`);
  const receipts = await deps.runs.listReceipts(partnerId, runId);
  receipts.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.serviceKey.localeCompare(b.serviceKey));
  return { run, receipts };
}
