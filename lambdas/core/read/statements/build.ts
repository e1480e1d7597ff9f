// The month's statement of a partner, built from data alone: one line per account and service with its
// computed and pushed value, what Gradient holds now and the last run's answer; per service the rounding ledger
// and the units that reach no invoice; for a closed period its closing values and the adjustments seen since.
import type {
  Account,
  CatalogService,
  ClosedStatement,
  ClosingLine,
  ComputedLine,
  HeldValue,
  IsoDate,
  LineOutcome,
  LineReason,
  LineReceipt,
  Period,
  RoundingPolicy,
  StatementAdjustment,
} from '../../model';
import { lineKey } from '../../model';
import { roundTo4 } from '../../rounding';
import { type AccountState, heldFor } from '../../sync/held';
import { csvDocument } from '../csv';

export interface StatementLine extends ClosingLine {
  accountName: string;
  serviceName: string;
  /** What Gradient holds for the line now (null: nothing we can rely on), and since when. */
  held: number | null;
  heldAt: string | null;
  /** Whether the line reaches an invoice: service set up, account mapped, and no 404 on the last run. */
  mapped: boolean;
  /** The last run of the period's answer for the line (null: no receipt). */
  outcome: LineOutcome | null;
  reason: LineReason | null;
}

/** One service's sums over the statement's lines: the rounding ledger and the unbilled units. */
export interface StatementService {
  serviceKey: string;
  serviceName: string;
  lines: number;
  computed: number;
  pushed: number;
  roundingDelta: number;
  notMappedLines: number;
  notMappedUnits: number;
}

export interface Statement {
  partnerId: string;
  period: Period;
  asOf: IsoDate;
  closed: boolean;
  roundingPolicy: RoundingPolicy;
  lines: StatementLine[];
  services: StatementService[];
  adjustments: StatementAdjustment[];
}

export interface StatementInput {
  partnerId: string;
  period: Period;
  asOf: IsoDate;
  roundingPolicy: RoundingPolicy;
  /** The lines computed now as of `asOf`. */
  lines: ComputedLine[];
  /** The period's closing statement, when it is closed: its values are shown, the current ones only as adjustments. */
  closing?: ClosedStatement;
  accounts: Account[];
  catalog: CatalogService[];
  accountStates: ReadonlyMap<string, AccountState>;
  serviceIds: ReadonlyMap<string, string>;
  held: HeldValue[];
  /** The receipts of the period's latest run. */
  receipts: LineReceipt[];
  /** When an adjustment first seen now is stamped. */
  now: string;
}

const keyOf = (l: { accountId: string; serviceKey: string }) => lineKey(l.accountId, l.serviceKey);
const sum = (xs: number[]): number => roundTo4(xs.reduce((a, b) => a + b, 0));

/**
 * Each line of a closed period whose value computed now differs from its closing value (a line that appeared
 * since closes at 0, one that vanished is now 0), keeping when an unchanged adjustment was first seen.
 */
export function adjustmentsOf(closing: ClosedStatement, current: ComputedLine[], now: string): StatementAdjustment[] {
  const closed = new Map(closing.lines.map((l) => [keyOf(l), l]));
  const seen = new Map(closing.adjustments.map((a) => [keyOf(a), a]));
  const currentByKey = new Map(current.map((l) => [keyOf(l), l]));
  const keys = [...new Set([...closed.keys(), ...currentByKey.keys()])].sort();
  return keys.flatMap((k) => {
    const line = (closed.get(k) ?? currentByKey.get(k)) as ClosingLine;
    const closedValue = closed.get(k)?.computed ?? 0;
    const currentValue = currentByKey.get(k)?.computed ?? 0;
    if (closedValue === currentValue) return [];
    const before = seen.get(k);
    const at = before && before.currentValue === currentValue ? before.at : now;
    return [{ accountId: line.accountId, serviceKey: line.serviceKey, closedValue, currentValue, at }];
  });
}

export function buildStatement(input: StatementInput): Statement {
  const names = new Map(input.accounts.map((a) => [a.accountId, a.name]));
  const services = new Map(input.catalog.map((s) => [s.serviceKey, s]));
  const held = new Map(input.held.map((h) => [keyOf(h), h]));
  const receipts = new Map(input.receipts.map((r) => [keyOf(r), r]));
  const values: ClosingLine[] = input.closing?.lines ?? input.lines;

  const lines = values.map((v): StatementLine => {
    const k = keyOf(v);
    const serviceId = input.serviceIds.get(v.serviceKey);
    const account = input.accountStates.get(v.accountId);
    const receipt = receipts.get(k);
    const holds = serviceId && account ? heldFor(held.get(k), serviceId, account) : undefined;
    return {
      accountId: v.accountId,
      accountName: names.get(v.accountId) ?? v.accountId,
      serviceKey: v.serviceKey,
      serviceName: services.get(v.serviceKey)?.name ?? v.serviceKey,
      computed: v.computed,
      pushed: v.pushed,
      roundingDelta: v.roundingDelta,
      held: holds?.value ?? null,
      heldAt: holds?.acceptedAt ?? null,
      mapped: Boolean(serviceId && account && account.isMapped !== false && receipt?.outcome !== 'not_mapped'),
      outcome: receipt?.outcome ?? null,
      reason: receipt?.reason ?? null,
    };
  });

  const byService = new Map<string, StatementLine[]>();
  for (const l of lines) byService.set(l.serviceKey, [...(byService.get(l.serviceKey) ?? []), l]);
  const serviceRows = [...byService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([serviceKey, rows]): StatementService => {
      const unmapped = rows.filter((r) => !r.mapped);
      return {
        serviceKey,
        serviceName: rows[0]?.serviceName ?? serviceKey,
        lines: rows.length,
        computed: sum(rows.map((r) => r.computed)),
        pushed: sum(rows.map((r) => r.pushed)),
        roundingDelta: sum(rows.map((r) => r.roundingDelta)),
        notMappedLines: unmapped.length,
        notMappedUnits: sum(unmapped.map((r) => r.computed)),
      };
    });

  return {
    partnerId: input.partnerId,
    period: input.period,
    asOf: input.closing?.asOf ?? input.asOf,
    closed: input.closing !== undefined,
    roundingPolicy: input.roundingPolicy,
    lines,
    services: serviceRows,
    adjustments: input.closing ? adjustmentsOf(input.closing, input.lines, input.now) : [],
  };
}

/** The statement's `lines` field names, in order: the CSV header. */
export const STATEMENT_LINE_FIELDS = [
  'accountId',
  'accountName',
  'serviceKey',
  'serviceName',
  'computed',
  'pushed',
  'roundingDelta',
  'held',
  'heldAt',
  'mapped',
  'outcome',
  'reason',
] as const satisfies ReadonlyArray<keyof StatementLine>;

/** The statement CSV's file name, as the API's Content-Disposition and the console's download both give it. */
export const statementCsvName = (partnerId: string, period: Period): string => `${partnerId}-${period}.csv`;

/** The statement's lines as CSV: a header row of the field names, then one row per line (`read/csv.ts`). */
export const statementCsv = (lines: StatementLine[]): string =>
  csvDocument(
    STATEMENT_LINE_FIELDS,
    lines.map((l) => STATEMENT_LINE_FIELDS.map((f) => l[f])),
  );
