// Reading back what was pushed for one account over time: per service, one entry per run that decided the
// line (its value, outcome and Gradient's answer), newest run first, from the runs' receipts.
import { runLimited } from '../calls/pool';
import { NotFoundError } from '../errors';
import type { LineOutcome, LineReceipt, Period, RunTrigger } from '../model';
import { knownPartner } from '../partners';
import type { AppDeps } from '../ports';
import { DEFAULT_RUN_LIST_LIMIT, MAX_RUN_LIST_LIMIT } from './run-history';

/** Receipt queries in flight at once (one per run). */
const READ_PARALLELISM = 8;

export interface HistoryEntry {
  runId: string;
  period: Period;
  trigger: RunTrigger;
  at: string;
  computed: number;
  pushed: number;
  outcome: LineOutcome;
  httpStatus?: number;
  detail?: string;
}

export interface AccountHistory {
  accountId: string;
  /** How many of the partner's latest runs were read. */
  runsRead: number;
  services: Array<{ serviceKey: string; entries: HistoryEntry[] }>;
}

export async function accountHistory(
  deps: Pick<AppDeps, 'partners' | 'accounts' | 'runs'>,
  partnerId: string,
  accountId: string,
  limit = DEFAULT_RUN_LIST_LIMIT,
): Promise<AccountHistory> {
  await knownPartner(deps, partnerId);
  if (!(await deps.accounts.get(partnerId, accountId))) {
    throw new NotFoundError(`account ${accountId} of partner ${partnerId} not found`);
  }
  const runs = await deps.runs.list(partnerId, Math.min(Math.max(1, limit), MAX_RUN_LIST_LIMIT));
  const receipts: LineReceipt[][] = [];
  await runLimited(runs, READ_PARALLELISM, async (run, i) => {
    receipts[i] = await deps.runs.listAccountReceipts(partnerId, run.runId, accountId);
  });
  const byService = new Map<string, HistoryEntry[]>();
  runs.forEach((run, i) => {
    for (const r of receipts[i] ?? []) {
      const entries = byService.get(r.serviceKey) ?? [];
      byService.set(r.serviceKey, entries);
      entries.push({
        runId: run.runId,
        period: run.period,
        trigger: run.trigger,
        at: r.at,
        computed: r.computed,
        pushed: r.pushed,
        outcome: r.outcome,
        ...(r.httpStatus !== undefined && { httpStatus: r.httpStatus }),
        ...(r.detail !== undefined && { detail: r.detail }),
      });
    }
  });
  const services = [...byService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([serviceKey, entries]) => ({ serviceKey, entries }));
  return { accountId, runsRead: runs.length, services };
}
