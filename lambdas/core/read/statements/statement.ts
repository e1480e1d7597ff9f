// Reading a partner's statement for a period: everything `build.ts` needs, loaded by key or Query. A period read
// after its last day ended is computed as of that day and closes: its closing values are stored once and shown
// from then on, and later changes to its usage are recorded as adjustments.
import { ValidationError } from '../../errors';
import type { ClosedStatement, ComputedLine, IsoDate, LineReceipt, Partner, Period } from '../../model';
import { knownPartner } from '../../partners';
import { periodEnd, periodStart, todayUtc } from '../../period';
import type { AppDeps } from '../../ports';
import { serviceIdsOf } from '../../sync/decide';
import type { AccountState } from '../../sync/held';
import { computeLines } from '../../usage';
import { MAX_RUN_LIST_LIMIT } from '../run-history';
import { adjustmentsOf, buildStatement, type Statement, type StatementInput } from './build';

/** The runs looked through for the period's latest one (newest first). */
const RUNS_LOOKED_AT = MAX_RUN_LIST_LIMIT;

/** What a statement and the unmapped list are built from, loaded once. */
export type PeriodData = Omit<StatementInput, 'closing'> & { partner: Partner; over: boolean };

/** Loads a period's data: the lines as of its last day once over, else as of its latest run (or today). */
export async function loadPeriod(deps: AppDeps, partnerId: string, period: Period): Promise<PeriodData> {
  const partner = await knownPartner(deps, partnerId);
  const now = deps.clock.now();
  const today = todayUtc(now);
  if (periodStart(period) > today) throw new ValidationError(`period ${period} has not started yet`);
  const over = today > periodEnd(period);
  const [runs, catalog, serviceMappings, accountMappings, accounts, usage, held] = await Promise.all([
    deps.runs.list(partnerId, RUNS_LOOKED_AT),
    deps.catalog.list(),
    deps.mappings.listServices(partnerId),
    deps.mappings.listAccounts(partnerId),
    deps.accounts.list(partnerId),
    deps.usage.linesForPeriod(partnerId, period),
    deps.held.list(partnerId),
  ]);
  const latest = runs.find((r) => r.period === period);
  const asOf: IsoDate = over ? periodEnd(period) : (latest?.asOf ?? today);
  const receipts: LineReceipt[] = latest ? await deps.runs.listReceipts(partnerId, latest.runId) : [];
  const lines: ComputedLine[] = computeLines({
    period,
    asOf,
    services: new Map(catalog.map((s) => [s.serviceKey, s])),
    lines: usage,
    rounding: partner.roundingPolicy,
  });
  return {
    partner,
    over,
    partnerId,
    period,
    asOf,
    roundingPolicy: partner.roundingPolicy,
    lines,
    accounts,
    catalog,
    accountStates: new Map<string, AccountState>(accountMappings.map((m) => [m.accountId, m])),
    serviceIds: serviceIdsOf(catalog, serviceMappings),
    held,
    receipts,
    now: now.toISOString(),
  };
}

/** The period's statement; closes it on the first read after its last day, records adjustments seen since. */
export async function getStatement(deps: AppDeps, partnerId: string, period: Period): Promise<Statement> {
  const data = await loadPeriod(deps, partnerId, period);
  let closing: ClosedStatement | undefined = await deps.statements.getClosed(partnerId, period);
  if (!closing && data.over) {
    const lines = data.lines.map(({ accountId, serviceKey, computed, pushed, roundingDelta }) => ({
      accountId,
      serviceKey,
      computed,
      pushed,
      roundingDelta,
    }));
    const closed = { partnerId, period, asOf: data.asOf, closedAt: data.now, lines };
    await deps.statements.putClosed(closed);
    deps.log.info('closed statement', { partnerId, period, lines: lines.length });
    closing = { ...closed, adjustments: [] };
  }
  if (closing) {
    const known = new Map(closing.adjustments.map((a) => [`${a.accountId}#${a.serviceKey}`, a]));
    const fresh = adjustmentsOf(closing, data.lines, data.now).filter((a) => {
      const before = known.get(`${a.accountId}#${a.serviceKey}`);
      return !before || before.currentValue !== a.currentValue;
    });
    if (fresh.length > 0) {
      await deps.statements.putAdjustments(partnerId, period, fresh);
      closing = { ...closing, adjustments: [...closing.adjustments, ...fresh] };
    }
  }
  return buildStatement({ ...data, ...(closing && { closing }) });
}
