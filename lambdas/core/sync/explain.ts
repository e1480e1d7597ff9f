// Why each line's value is what it is: the value Gradient held before the run, a reason code and the
// days that moved the value since that value's push, computed from the snapshots and the held value's basis (the
// daily values it was computed from). Pure: the reason precedence is `model/lines.ts`'s LINE_REASONS comment.
import type {
  ComputedLine,
  HeldValue,
  IsoDate,
  LineBasis,
  LineChange,
  LineOutcome,
  LineReason,
  LineUsage,
  LineWhy,
  Period,
} from '../model';
import { lineKey, MAX_LINE_CHANGES } from '../model';
import { dateInPeriod, periodOf } from '../period';
import { roundTo4 } from '../rounding';
import { dailyStates, type ServiceRule } from '../usage';
import { type AccountState, heldFor, RESEND_DETAIL } from './held';

/**
 * The daily values of a line from day 1 to `asOf`, scaled to the billed unit: the carried-forward state for state
 * services (starting from the carry-in, 0 when absent), the day's metered quantity (0 when none) for `sum`.
 */
export function dailyValues(rule: ServiceRule, usage: LineUsage, asOf: IsoDate): number[] {
  const scale = rule.unitScale ?? 1;
  return dailyStates(rule.aggregation, usage.carryIn, usage.snapshots, periodOf(asOf), asOf).map((q) =>
    roundTo4(q / scale),
  );
}

/**
 * The days that moved the value from `before` (the basis of the held value; none when Gradient held none for the
 * period) to `now`: each day up to the basis's as-of whose value differs, then each later day on which the state
 * changed (state services, against the day before or the carry-in) or something was metered (`sum`).
 */
export function changesBetween(
  metered: boolean,
  period: Period,
  now: readonly number[],
  before: readonly number[],
  carryIn: number,
): LineChange[] {
  const out: LineChange[] = [];
  for (let i = 0; i < now.length && out.length < MAX_LINE_CHANGES; i++) {
    const to = now[i] as number;
    const date = dateInPeriod(period, i + 1);
    const from = i < before.length ? (before[i] as number) : i === 0 ? (metered ? 0 : carryIn) : (now[i - 1] as number);
    if (metered) {
      if (i < before.length ? to !== from : to !== 0) out.push({ date, quantity: to });
    } else if (to !== from) out.push({ date, from, to });
  }
  return out;
}

/** The day values of the basis that are still comparable: the same period only. */
const basisIn = (held: HeldValue | undefined, period: Period): number[] =>
  held?.basis && periodOf(held.basis.asOf) === period ? held.basis.days : [];

export interface ExplainLineInput {
  line: ComputedLine;
  rule: ServiceRule;
  usage: LineUsage;
  period: Period;
  asOf: IsoDate;
  /** What Gradient held for the line before the run, valid or not. */
  held: HeldValue | undefined;
  /** Gradient's service id of the line's service (none: not set up). */
  serviceId: string | undefined;
  /** The account's mapping state; absent when the account is not in Gradient. */
  account: AccountState | undefined;
}

/** The explanation of one line before its outcome is known (not_mapped and verification are settled later). */
export function explainLine(input: ExplainLineInput): LineWhy {
  const { line, period, held, account, serviceId } = input;
  const days = dailyValues(input.rule, input.usage, input.asOf);
  const basis: LineBasis = { asOf: input.asOf, days };
  const valid = serviceId && account ? heldFor(held, serviceId, account) : held;
  const before = basisIn(valid, period);
  const metered = input.rule.aggregation === 'sum';
  const previous = valid ? valid.value : null;
  const reason = ((): LineReason => {
    if (!serviceId || !account || account.isMapped === false) return 'not_mapped';
    if (!valid) return held || account.mappedFromUnmapped ? 'newly_mapped' : 'new_line';
    if (valid.value === line.pushed) return 'unchanged';
    if (valid.period !== period) return 'new_period';
    if (line.pushed === 0) return 'fell_to_zero';
    const backdated = before.some((value, i) => days[i] !== value);
    return backdated ? 'backdated_correction' : 'usage_changed';
  })();
  // Nothing moved a value Gradient already holds: an unchanged line lists no changes (usage may have moved under
  // its rounding). So the quiet lines' receipts stay alike and pack many to an item (receipt-batches.ts).
  if (reason === 'unchanged') return { previous, reason, changes: [], basis };
  const carryIn = roundTo4((input.usage.carryIn ?? 0) / (input.rule.unitScale ?? 1));
  return { previous, reason, changes: changesBetween(metered, period, days, before, carryIn), basis };
}

/** The reason a receipt carries once its outcome is known: a 404 is not mapped, a re-sent equal value a check. */
export function settledReason(why: LineWhy, outcome: LineOutcome, detail: string | undefined): LineReason {
  if (outcome === 'not_mapped') return 'not_mapped';
  const resent = detail === RESEND_DETAIL.verification || detail === RESEND_DETAIL.full;
  return resent && why.reason === 'unchanged' ? 'verification' : why.reason;
}

export interface ExplainInput {
  period: Period;
  asOf: IsoDate;
  lines: ComputedLine[];
  usage: readonly LineUsage[];
  services: ReadonlyMap<string, ServiceRule>;
  held: readonly HeldValue[];
  serviceIds: ReadonlyMap<string, string>;
  accounts: ReadonlyMap<string, AccountState>;
}

/** Every line with its explanation (`why`); a line whose usage or rule is missing is returned as it is. */
export function explainLines(input: ExplainInput): ComputedLine[] {
  const usage = new Map(input.usage.map((u) => [lineKey(u.accountId, u.serviceKey), u]));
  const held = new Map(input.held.map((h) => [lineKey(h.accountId, h.serviceKey), h]));
  return input.lines.map((line) => {
    const k = lineKey(line.accountId, line.serviceKey);
    const lineUsage = usage.get(k);
    const rule = input.services.get(line.serviceKey);
    if (!lineUsage || !rule) return line;
    const why = explainLine({
      line,
      rule,
      usage: lineUsage,
      period: input.period,
      asOf: input.asOf,
      held: held.get(k),
      serviceId: input.serviceIds.get(line.serviceKey),
      account: input.accounts.get(line.accountId),
    });
    return { ...line, why };
  });
}
