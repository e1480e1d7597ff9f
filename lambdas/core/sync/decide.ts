// What a run does with each computed line, decided from data alone: resumed from an earlier delivery's receipt,
// settled without a request (not mapped, unchanged, already accepted by this run), or to be sent. Also what the
// receipts add up to. Pure: no port, no clock (the caller passes the time receipts are stamped with).
import type {
  AcceptedValue,
  CatalogService,
  ComputedLine,
  LineOutcome,
  LineReceipt,
  RunStatus,
  RunSummary,
  ServiceMapping,
} from '../model';
import { emptySummary, lineKey } from '../model';

/** Outcomes a later delivery of the same run keeps instead of sending the line again. */
const SETTLED: ReadonlySet<LineOutcome> = new Set(['accepted', 'not_mapped', 'unchanged']);

export interface LineToSend {
  line: ComputedLine;
  serviceId: string;
}

/** One line's receipt; `attempts` is 0 unless a request was made. */
export const lineReceipt = (
  runId: string,
  line: ComputedLine,
  outcome: LineOutcome,
  at: string,
  extra: Partial<LineReceipt> = {},
): LineReceipt => ({
  runId,
  accountId: line.accountId,
  serviceKey: line.serviceKey,
  computed: line.computed,
  pushed: line.pushed,
  outcome,
  attempts: 0,
  at,
  ...extra,
});

/** Gradient's service id of each catalog service: the partner's mapping wins over the id on the catalog. */
export function serviceIdsOf(catalog: CatalogService[], mappings: ServiceMapping[]): Map<string, string> {
  const ids = new Map(catalog.flatMap((s) => (s.gradientServiceId ? [[s.serviceKey, s.gradientServiceId]] : [])));
  for (const m of mappings) ids.set(m.serviceKey, m.gradientServiceId);
  return ids;
}

export interface DecideInput {
  runId: string;
  /** Send every line, even those equal to the last accepted value. */
  full: boolean;
  lines: ComputedLine[];
  /** This run's receipts from earlier deliveries. */
  earlier: LineReceipt[];
  /** The last values Gradient accepted for the period. */
  accepted: AcceptedValue[];
  serviceIds: ReadonlyMap<string, string>;
  /** accountId → mapped to a PSA company in Gradient. */
  mapped: ReadonlyMap<string, boolean>;
  /** When the receipts decided here are stamped. */
  at: string;
}

export interface Decision {
  /** Settled by an earlier delivery of this run with the same value: kept, not written again. */
  resumed: LineReceipt[];
  /** Settled now without a request: to be written. */
  settled: LineReceipt[];
  toSend: LineToSend[];
}

export function decideLines(input: DecideInput): Decision {
  const earlier = new Map(input.earlier.map((r) => [lineKey(r.accountId, r.serviceKey), r]));
  const accepted = new Map(input.accepted.map((a) => [lineKey(a.accountId, a.serviceKey), a]));
  const receipt = (line: ComputedLine, outcome: LineOutcome, extra?: Partial<LineReceipt>) =>
    lineReceipt(input.runId, line, outcome, input.at, extra);
  const decision: Decision = { resumed: [], settled: [], toSend: [] };
  for (const line of input.lines) {
    const k = lineKey(line.accountId, line.serviceKey);
    const before = earlier.get(k);
    if (before && SETTLED.has(before.outcome) && before.pushed === line.pushed) {
      decision.resumed.push(before); // settled by an earlier delivery of this run: resume, do not resend
      continue;
    }
    const serviceId = input.serviceIds.get(line.serviceKey);
    const last = accepted.get(k);
    let decided: LineReceipt | undefined;
    if (!serviceId) {
      decided = receipt(line, 'not_mapped', { detail: 'service not set up in Gradient; save the connection again' });
    } else if (!input.mapped.get(line.accountId)) {
      decided = receipt(line, 'not_mapped', { detail: 'account not mapped in Synthesize' });
    } else if (last?.value === line.pushed) {
      // Accepted by an earlier delivery of this very run whose receipt was never written: resume, never resend
      // (a full run included). From an earlier run: unchanged, unless this run sends everything.
      if (last.runId === input.runId) decided = receipt(line, 'accepted', { httpStatus: 201, attempts: 1 });
      else if (!input.full) decided = receipt(line, 'unchanged');
    }
    if (decided) decision.settled.push(decided);
    else decision.toSend.push({ line, serviceId: serviceId as string });
  }
  return decision;
}

/** The run's counters from one receipt per line; `sent` counts lines a request was made for. */
export function summarize(lines: number, receipts: Iterable<LineReceipt>): RunSummary {
  const s = emptySummary();
  s.lines = lines;
  for (const r of receipts) {
    if (r.outcome === 'accepted') s.accepted += 1;
    else if (r.outcome === 'not_mapped') s.notMapped += 1;
    else if (r.outcome === 'unchanged') s.unchanged += 1;
    else s.failed += 1;
    if (r.outcome !== 'unchanged' && r.attempts > 0) s.sent += 1;
  }
  return s;
}

/** A finished run's status: failed when every line failed, partial when some did. */
export const runStatusOf = (summary: RunSummary): RunStatus =>
  summary.failed === 0 ? 'succeeded' : summary.failed === summary.lines ? 'failed' : 'partial';
