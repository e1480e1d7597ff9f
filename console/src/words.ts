// What the console says, in words a billing admin reads: the integration's state from the partner's status, a
// run's summary, each receipt line and its reason ("Usage changed: +5 on 12 Mar"), and the statement's and fleet's
// cells. Pure (no DOM), so the wording is one place and unit-testable.
import type { PartnerView, RunLineView, RunView } from '../../client/types';

export const CARD_STATES = ['Not connected', 'Pending', 'Connected', 'Key rejected', 'Disconnected'] as const;
export type CardState = (typeof CARD_STATES)[number];

/** The state shown for a partner; a partner the API does not know (404) has never been connected. */
export function cardState(partner: PartnerView | undefined): CardState {
  return partner ? statusText(partner.status) : 'Not connected';
}

/** One sentence under the state: what it means and what to do next. */
export function stateHint(state: CardState): string {
  switch (state) {
    case 'Not connected':
      return 'Paste the Partner API key generated in Gradient Synthesize, test it, and save.';
    case 'Pending':
      return 'The key is saved. Map companies and services in Synthesize, sync mappings, then resync: the first accepted update connects the integration.';
    case 'Connected':
      return 'Usage is sent to Gradient every night.';
    case 'Key rejected':
      return 'Gradient rejected the stored key, so the nightly sync is stopped. Generate a new key in Synthesize and save it here.';
    case 'Disconnected':
      return 'Nothing is sent to Gradient. Paste a new key to connect again.';
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function summaryText(summary: RunView['summary']): string {
  return [
    plural(summary.lines, 'line'),
    `${summary.sent} sent`,
    `${summary.accepted} accepted`,
    `${summary.notMapped} not mapped`,
    `${summary.unchanged} unchanged`,
    `${summary.failed} failed`,
  ].join(', ');
}

/** A run's lane in the shared Gradient budget, as the card names it. */
export function runLaneText(lane: RunView['lane']): string {
  switch (lane) {
    case 'admin':
      return 'first in line (a resync someone waits for)';
    case 'nightly':
      return 'nightly';
    case 'bulk':
      return 'bulk (a first night or a full resync: after the others)';
  }
}

export function runStatusText(status: RunView['status']): string {
  switch (status) {
    case 'queued':
      return 'Queued';
    case 'running':
      return 'Running';
    case 'succeeded':
      return 'Finished';
    case 'partial':
      return 'Finished with failed lines (they are retried on the next run)';
    case 'failed':
      return 'Failed';
  }
}

export function outcomeText(outcome: RunLineView['outcome']): string {
  switch (outcome) {
    case 'accepted':
      return 'Sent, accepted';
    case 'not_mapped':
      return 'Not sent: not mapped in the PSA';
    case 'unchanged':
      return 'Unchanged since the last accepted update';
    case 'failed':
      return 'Failed, retried on the next run';
    case 'auth_failed':
      return 'Not sent: Gradient rejected the key';
  }
}

const number = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 4 });

/** "12.5 → 13": the computed usage and the value pushed after the MSP's rounding. */
export const quantityText = (line: Pick<RunLineView, 'computed' | 'pushed'>) =>
  `${number(line.computed)} → ${number(line.pushed)}`;

const REASON_WORDS: Record<NonNullable<RunLineView['reason']>, string> = {
  new_line: 'First value for this line',
  usage_changed: 'Usage changed',
  backdated_correction: 'Backdated correction',
  new_period: "The period's first update",
  fell_to_zero: 'Fell to zero',
  newly_mapped: 'Newly mapped in the PSA',
  verification: 'Sent again to verify (same value)',
  unchanged: 'Unchanged',
  not_mapped: 'Not mapped in the PSA',
};

/** Why a line has its value, in a few words ("Usage changed"); '' when the line carries no reason. */
export const reasonWords = (reason: RunLineView['reason'] | null): string => (reason ? REASON_WORDS[reason] : '');

const signed = (n: number) => (n > 0 ? `+${number(n)}` : n < 0 ? `−${number(-n)}` : '±0');

/** "12 Mar" for an ISO date (UTC). */
export const dayText = (isoDate: string) =>
  new Date(`${isoDate.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
  });

/** One change that moved a line: "+5 on 12 Mar" (a daily state change) or "7 used on 12 Mar" (a metered day). */
export function changeText(change: RunLineView['changes'][number]): string {
  const day = dayText(change.date);
  return 'quantity' in change
    ? `${number(change.quantity)} used on ${day}`
    : `${signed(change.to - change.from)} on ${day}`;
}

/**
 * Why the line has this value, in words: the reason, then what moved it ("Usage changed: +5 on 12 Mar"), then
 * Gradient's detail or its status for a failed line.
 */
export function reasonText(
  line: Pick<RunLineView, 'outcome' | 'detail' | 'httpStatus'> & Partial<Pick<RunLineView, 'reason' | 'changes'>>,
): string {
  const why = reasonWords(line.reason);
  const moves = (line.changes ?? []).map(changeText).join(', ');
  const gradient =
    line.detail ??
    (line.outcome === 'failed' && line.httpStatus !== undefined ? `Gradient answered ${line.httpStatus}` : '');
  const head = why && moves ? `${why}: ${moves}` : why || moves;
  return [head, gradient].filter(Boolean).join('. ');
}

/** Signed units for the rounding ledger: "+0.5", "−1", "±0". */
export const deltaText = signed;

/** A plain number for a table cell. */
export const numberText = number;

const STATUS_WORDS: Record<PartnerView['status'], CardState> = {
  not_connected: 'Not connected',
  pending: 'Pending',
  connected: 'Connected',
  auth_failed: 'Key rejected',
  disconnected: 'Disconnected',
};

/** A partner status as the card names it. */
export const statusText = (status: PartnerView['status']): CardState => STATUS_WORDS[status];

/** Whole days from `since` to `now`. */
export const daysSince = (since: string, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / 86_400_000));

/** The month (UTC) of `now` as YYYY-MM. */
export const periodOf = (now: Date): string => now.toISOString().slice(0, 7);

/** A timestamp for a person, in UTC (billing periods are UTC months), e.g. "25 Jul 2026, 02:00 UTC". */
export function whenText(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC`;
}
