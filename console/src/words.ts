// What the card says, in words a billing admin reads: the integration's state from the partner's status, a
// run's summary, and each receipt line. Pure (no DOM), so the wording is one place and unit-testable.
import type { PartnerView, RunLineView, RunView } from '../../client/types';

export const CARD_STATES = ['Not connected', 'Pending', 'Connected', 'Key rejected', 'Disconnected'] as const;
export type CardState = (typeof CARD_STATES)[number];

/** The state shown for a partner; a partner the API does not know (404) has never been connected. */
export function cardState(partner: PartnerView | undefined): CardState {
  if (!partner) return 'Not connected';
  switch (partner.status) {
    case 'pending':
      return 'Pending';
    case 'connected':
      return 'Connected';
    case 'auth_failed':
      return 'Key rejected';
    case 'disconnected':
      return 'Disconnected';
  }
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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

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

export const RUN_DONE: ReadonlyArray<RunView['status']> = ['succeeded', 'partial', 'failed'];

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

/**
 * Why the line has this value, in words. Today the receipt carries Gradient's detail only; the statement work
 * (issue 12) brings the per-line reasons ("+5 seats on 12 Mar"), which belong here.
 */
export function reasonText(line: Pick<RunLineView, 'outcome' | 'detail' | 'httpStatus'>): string {
  if (line.detail) return line.detail;
  if (line.outcome === 'failed' && line.httpStatus !== undefined) return `Gradient answered ${line.httpStatus}`;
  return '';
}

/** A timestamp for a person, in UTC (billing periods are UTC months), e.g. "25 Jul 2026, 02:00 UTC". */
export function whenText(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC`;
}
