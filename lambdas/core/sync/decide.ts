// What a run does with each computed line, decided from data alone: resumed from an earlier delivery's receipt,
// settled without a request (not mapped, refused by Gradient and nothing changed since, unchanged, already
// accepted by this run), or to be sent — because its
// value differs from what Gradient holds, Gradient holds none, or the quiet line is due for verification. Also
// what the receipts add up to. Pure: no port, no clock (the caller passes the time receipts are stamped with).
import type {
  CatalogService,
  ComputedLine,
  HeldValue,
  LineOutcome,
  LineReceipt,
  Refusal,
  RunStatus,
  RunSummary,
  ServiceMapping,
} from '../model';
import { emptySummary, lineKey } from '../model';
import { settledReason } from './explain';
import { type AccountState, heldFor, RESEND_DETAIL } from './held';
import { refusedDetail, standingRefusal } from './refusals';
import { verificationDue } from './verification';

/** Outcomes a later delivery of the same run keeps instead of sending the line again. */
const SETTLED: ReadonlySet<LineOutcome> = new Set(['accepted', 'not_mapped', 'unchanged']);

export interface LineToSend {
  line: ComputedLine;
  serviceId: string;
  /** The account's mapping incarnation, kept with the held value once Gradient accepts it. */
  mappedSince?: string;
  /** Set when Gradient already holds the value: a verification or a full resync re-sends it. */
  detail?: string;
  /** The line has a refusal on record that no longer holds: forgotten once Gradient accepts the line. */
  wasRefused?: true;
}

/** One line's receipt; `attempts` is 0 unless a request was made. Carries the line's explanation, if any. */
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
  ...(line.why && {
    previous: line.why.previous,
    reason: settledReason(line.why, outcome, extra.detail),
    changes: line.why.changes,
  }),
  ...extra,
});

/** Gradient's service id of each catalog service: the partner's mapping wins over the id on the catalog. */
export function serviceIdsOf(catalog: CatalogService[], mappings: ServiceMapping[]): Map<string, string> {
  const ids = new Map(catalog.flatMap((s) => (s.gradientServiceId ? [[s.serviceKey, s.gradientServiceId]] : [])));
  for (const m of mappings) ids.set(m.serviceKey, m.gradientServiceId);
  return ids;
}

export interface DecideInput {
  partnerId: string;
  runId: string;
  /** Send every line, even those equal to the value Gradient holds. */
  full: boolean;
  lines: ComputedLine[];
  /** This run's receipts from earlier deliveries. */
  earlier: LineReceipt[];
  /** What Gradient holds per line, whatever period it was pushed for. */
  held: HeldValue[];
  serviceIds: ReadonlyMap<string, string>;
  /** accountId → its mapping state in Gradient; an account missing here is not in Gradient. */
  accounts: ReadonlyMap<string, AccountState>;
  /** Lines Gradient refused with 404, and when the partner last synced its mappings (`refusals.ts`). */
  refusals?: Refusal[];
  mappingsSyncedAt?: string;
  /** When the receipts decided here are stamped; its day is the night of the verification cycle. */
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
  const held = new Map(input.held.map((h) => [lineKey(h.accountId, h.serviceKey), h]));
  const refusals = new Map((input.refusals ?? []).map((r) => [lineKey(r.accountId, r.serviceKey), r]));
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
    const account = input.accounts.get(line.accountId);
    if (!serviceId) {
      decision.settled.push(
        receipt(line, 'not_mapped', { detail: 'service not set up in Gradient; save the connection again' }),
      );
      continue;
    }
    // An unknown flag (Gradient's older account list has none) is sent: its 404 decides.
    if (!account || account.isMapped === false) {
      decision.settled.push(receipt(line, 'not_mapped', { detail: 'account not mapped in Synthesize' }));
      continue;
    }
    const refusal = refusals.get(k);
    const refused = standingRefusal({
      refusal,
      held: held.get(k),
      pushed: line.pushed,
      serviceId,
      mappedSince: account.mappedSince,
      mappingsSyncedAt: input.mappingsSyncedAt,
      full: input.full,
      at: input.at,
    });
    if (refused) {
      decision.settled.push(receipt(line, 'not_mapped', { detail: refusedDetail(refused) }));
      continue;
    }
    const send: LineToSend = {
      line,
      serviceId,
      ...(account.mappedSince !== undefined && { mappedSince: account.mappedSince }),
      ...(refusal && { wasRefused: true }),
    };
    const holds = heldFor(held.get(k), serviceId, account);
    if (holds?.value !== line.pushed) {
      decision.toSend.push(send);
    } else if (holds.runId === input.runId) {
      // Accepted by an earlier delivery of this very run whose receipt was never written: resume, never resend
      // (a full run included).
      decision.settled.push(receipt(line, 'accepted', { httpStatus: 201, attempts: 1 }));
    } else if (input.full) {
      decision.toSend.push({ ...send, detail: RESEND_DETAIL.full });
    } else if (verificationDue(holds, input.at)) {
      decision.toSend.push({ ...send, detail: RESEND_DETAIL.verification });
    } else {
      decision.settled.push(receipt(line, 'unchanged'));
    }
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
