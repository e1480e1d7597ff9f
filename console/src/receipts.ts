// A finished run's receipts as a table: one row per (company, service) line with its outcome in words, the
// computed and pushed values, and the reason. Companies are named as Gradient knows them when a name is given.
import type { RunDetailView } from '../../client/types';
import { h } from './dom';
import { outcomeText, quantityText, reasonText } from './words';

export function renderReceipts(run: RunDetailView, names: ReadonlyMap<string, string> = new Map()): HTMLElement {
  if (run.lines.length === 0) return h('p', {}, 'No lines: nothing to send for this period.');
  const head = ['Company', 'Service', 'Outcome', 'Computed → pushed', 'Reason'];
  return h(
    'div',
    { class: 'gic-scroll', tabindex: '0', role: 'region', 'aria-label': `Receipts of the run for ${run.period}` },
    h(
      'table',
      { class: 'gic-receipts' },
      h('caption', {}, `Receipts, period ${run.period} as of ${run.asOf}`),
      h('thead', {}, h('tr', {}, ...head.map((label) => h('th', { scope: 'col' }, label)))),
      h(
        'tbody',
        {},
        ...run.lines.map((line) =>
          h(
            'tr',
            { 'data-outcome': line.outcome },
            h('th', { scope: 'row' }, names.get(line.accountId) ?? line.accountId),
            h('td', { class: 'gic-nowrap' }, line.serviceKey),
            h('td', {}, outcomeText(line.outcome)),
            h('td', { class: 'gic-num' }, quantityText(line)),
            h('td', {}, reasonText(line)),
          ),
        ),
      ),
    ),
  );
}
