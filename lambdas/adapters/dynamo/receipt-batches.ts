// Receipts of lines a run settled without a request (unchanged, not mapped), stored compactly: many receipts in
// one item, so a quiet line costs a few dozen bytes of one write instead of a write of its own. Receipts that
// share every field but the line's own (account, service, computed, pushed, previous) form a group; within a
// group each service lists its lines as `account:computed`, then `/pushed` when rounding moved it, then
// `~previous` when the receipt has one (`~=` for "equal to pushed", `~n` for null), joined by ';' — ids never
// hold ':', ';', '/' or '~' (model/rules.ts's ID_PATTERN). Reading expands them back to receipts.
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { LineReceipt } from '../../core/model';
import { lineKey } from '../../core/model';
import type { receiptBatchItem } from './items';

/** Sort keys of batch items start with this; line keys start with a letter or digit, so they cannot collide. */
export const BATCH_KEY_PREFIX = '#batch#';
/** Text per item, well under DynamoDB's 400 KB item limit with the keys and group fields around it. */
const MAX_BATCH_CHARS = 300_000;

export type ReceiptGroup = z.output<typeof receiptBatchItem>['groups'][number];

export interface ReceiptBatch {
  /** The batch's sort key: its content's hash, so writing the same batch again overwrites it. */
  key: string;
  groups: ReceiptGroup[];
}

const previousText = (r: LineReceipt): string => {
  if (r.previous === undefined) return '';
  if (r.previous === null) return '~n';
  return r.previous === r.pushed ? '~=' : `~${r.previous}`;
};

const entryOf = (r: LineReceipt): string =>
  `${r.accountId}:${r.computed}${r.pushed === r.computed ? '' : `/${r.pushed}`}${previousText(r)}`;

const previousOf = (text: string | undefined, pushed: number): Pick<LineReceipt, 'previous'> => {
  if (text === undefined) return {};
  if (text === 'n') return { previous: null };
  return { previous: text === '=' ? pushed : Number(text) };
};

/** Splits receipts into batch items of at most MAX_BATCH_CHARS of line text each. */
export function toBatches(receipts: LineReceipt[]): ReceiptBatch[] {
  const batches: ReceiptBatch[] = [];
  let groups = new Map<string, ReceiptGroup>();
  let chars = 0;
  const close = () => {
    if (groups.size === 0) return;
    const list = [...groups.values()];
    const hash = createHash('sha256').update(JSON.stringify(list)).digest('base64url').slice(0, 22);
    batches.push({ key: `${BATCH_KEY_PREFIX}${hash}`, groups: list });
    groups = new Map();
    chars = 0;
  };
  for (const r of receipts) {
    const { accountId: _a, serviceKey, computed: _c, pushed: _p, previous: _v, ...common } = r;
    const entry = entryOf(r);
    if (chars + entry.length + serviceKey.length > MAX_BATCH_CHARS) close();
    const id = JSON.stringify(common);
    let group = groups.get(id);
    if (!group) {
      group = { receipt: common, services: {} };
      groups.set(id, group);
      chars += id.length;
    }
    const before = group.services[serviceKey];
    group.services[serviceKey] = before === undefined ? entry : `${before};${entry}`;
    chars += entry.length + (before === undefined ? serviceKey.length : 1);
  }
  close();
  return batches;
}

/** The receipts a batch item holds. */
export function fromBatch(groups: ReceiptGroup[]): LineReceipt[] {
  const out: LineReceipt[] = [];
  for (const { receipt, services } of groups) {
    for (const [serviceKey, text] of Object.entries(services)) {
      for (const entry of text.split(';')) {
        const [accountId = '', rest = ''] = entry.split(':');
        const [values = '', previous] = rest.split('~');
        const [computed, pushed = computed] = values.split('/');
        const line = { accountId, serviceKey, computed: Number(computed), pushed: Number(pushed) };
        out.push({ ...receipt, ...line, ...previousOf(previous, line.pushed) });
      }
    }
  }
  return out;
}

/**
 * One receipt per line, in line order: where a line has several (a batch of an earlier delivery, then its own item), the latest
 * wins, and on a tie the line's own item (written after the decision that batched it).
 */
export function latestPerLine(own: LineReceipt[], batched: LineReceipt[]): LineReceipt[] {
  const byLine = new Map<string, LineReceipt>();
  for (const r of batched) {
    const k = lineKey(r.accountId, r.serviceKey);
    const before = byLine.get(k);
    if (!before || before.at < r.at) byLine.set(k, r);
  }
  for (const r of own) {
    const k = lineKey(r.accountId, r.serviceKey);
    const before = byLine.get(k);
    if (!before || before.at <= r.at) byLine.set(k, r);
  }
  // In line order, as a Query of the lines' own items answers them.
  return [...byLine].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}
