// <gradient-statement partner-id api-base period>: one partner's month as the statement route answers it — closed
// or open, the lines table (sorted by a column header, filtered by outcome), the per-service rounding ledger and
// the units no invoice carries with a bar chart, a Download CSV link to the same route, and the adjustments.
import { statementCsvName } from '../../lambdas/core/read/statements/build';
import { ApiError, requestJson } from './api';
import { type BarRow, type BarSeries, barChart } from './chart';
import { fill, h } from './dom';
import type { StatementLineView, StatementView } from './views';
import { deltaText, numberText, outcomeText, reasonWords, whenText } from './words';

type Cell = string | number;
interface Column {
  label: string;
  value: (line: StatementLineView) => Cell;
  text?: (line: StatementLineView) => string;
  numeric?: boolean;
}

const NO_RUN = 'none';

const COLUMNS: Column[] = [
  { label: 'Company', value: (l) => l.accountName },
  { label: 'Service', value: (l) => l.serviceName },
  { label: 'Computed', value: (l) => l.computed, numeric: true },
  { label: 'Pushed', value: (l) => l.pushed, numeric: true },
  { label: 'Rounding', value: (l) => l.roundingDelta, text: (l) => deltaText(l.roundingDelta), numeric: true },
  {
    label: 'Held by Gradient',
    value: (l) => l.held ?? -Infinity,
    text: (l) => (l.held === null ? '—' : numberText(l.held)),
    numeric: true,
  },
  { label: 'Outcome', value: (l) => outcomeLabel(l.outcome) },
  { label: 'Reason', value: (l) => reasonWords(l.reason) },
];

const outcomeLabel = (outcome: StatementLineView['outcome']) =>
  outcome === null ? 'No run yet' : outcomeText(outcome);
const cellText = (c: Column, l: StatementLineView) =>
  c.text ? c.text(l) : typeof c.value(l) === 'number' ? numberText(c.value(l) as number) : String(c.value(l));

export class GradientStatement extends HTMLElement {
  private statement?: StatementView;
  private sort = { column: 0, ascending: true };
  private outcome = '';
  private readonly body = h('div', { class: 'gic gcs' });

  connectedCallback(): void {
    if (this.body.isConnected) return;
    this.append(this.body);
    fill(this.body, h('p', { role: 'status' }, 'Loading the statement…'));
    void this.load();
  }

  private get url(): string {
    const base = (this.getAttribute('api-base') ?? '').replace(/\/+$/, '');
    const id = encodeURIComponent(this.getAttribute('partner-id') ?? '');
    return `${base}/v1/partners/${id}/statements/${encodeURIComponent(this.getAttribute('period') ?? '')}`;
  }

  private async load(): Promise<void> {
    try {
      this.statement = await requestJson<StatementView>('GET', this.url);
      this.render();
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'The statement could not be shown.';
      fill(this.body, h('p', { role: 'alert', class: 'gic-alert' }, message));
    }
  }

  private render(): void {
    const s = this.statement!;
    fill(
      this.body,
      h(
        'header',
        {},
        h('h2', {}, `Statement ${s.period}`),
        h(
          'span',
          { class: 'gic-state', 'data-state': s.closed ? 'connected' : 'pending' },
          s.closed ? 'Closed' : 'Open',
        ),
      ),
      h(
        'p',
        { class: 'gic-hint' },
        s.closed
          ? `Closed: computed as of ${s.asOf}, the month's last day. These values are final; later changes are listed as adjustments.`
          : `Open: computed as of ${s.asOf}. Values may still change until the month ends.`,
      ),
      h(
        'p',
        {},
        h('a', { href: `${this.url}?format=csv`, download: statementCsvName(s.partnerId, s.period) }, 'Download CSV'),
      ),
      h('h3', {}, 'Lines'),
      this.filter(),
      this.linesTable(),
      h('h3', {}, 'Rounding and unbilled units per service'),
      this.ledger(),
      h('h3', {}, 'Adjustments'),
      this.adjustments(),
    );
  }

  private filter(): HTMLElement {
    const s = this.statement!;
    const present = [...new Set(s.lines.map((l) => l.outcome ?? NO_RUN))];
    const select = h(
      'select',
      { id: 'gcs-outcome' },
      h('option', { value: '' }, 'All outcomes'),
      ...present.map((o) =>
        h(
          'option',
          { value: o, selected: o === this.outcome },
          o === NO_RUN ? 'No run yet' : outcomeLabel(o as StatementLineView['outcome']),
        ),
      ),
    );
    select.addEventListener('change', () => {
      this.outcome = select.value;
      this.render();
      this.querySelector<HTMLSelectElement>('#gcs-outcome')?.focus();
    });
    return h('div', { class: 'gic-row gcs-filter' }, h('label', { for: 'gcs-outcome' }, 'Outcome'), select);
  }

  private linesTable(): HTMLElement {
    const { column, ascending } = this.sort;
    const col = COLUMNS[column]!;
    const lines = this.statement!.lines.filter(
      (l) => this.outcome === '' || (l.outcome ?? NO_RUN) === this.outcome,
    ).sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    const head = COLUMNS.map((c, i) => {
      const button = h('button', { type: 'button', class: 'gcs-sort' }, c.label);
      button.addEventListener('click', () => {
        this.sort = { column: i, ascending: this.sort.column === i ? !this.sort.ascending : true };
        this.render();
        this.querySelectorAll<HTMLButtonElement>('.gcs-sort')[i]?.focus();
      });
      const sorted = i === column ? (ascending ? 'ascending' : 'descending') : undefined;
      return h('th', { scope: 'col', 'aria-sort': sorted, class: c.numeric ? 'gic-num' : undefined }, button);
    });
    return h(
      'div',
      { class: 'gic-scroll', tabindex: '0', role: 'region', 'aria-label': 'Statement lines' },
      h(
        'table',
        { class: 'gic-receipts gcs-lines' },
        h('caption', {}, `${lines.length} of ${this.statement!.lines.length} lines`),
        h('thead', {}, h('tr', {}, ...head)),
        h(
          'tbody',
          {},
          ...lines.map((l) =>
            h(
              'tr',
              { 'data-account': l.accountId, 'data-service': l.serviceKey },
              ...COLUMNS.map((c, i) =>
                i === 0
                  ? h('th', { scope: 'row' }, cellText(c, l))
                  : h('td', { class: c.numeric ? 'gic-num' : undefined }, cellText(c, l)),
              ),
            ),
          ),
        ),
      ),
    );
  }

  private ledger(): DocumentFragment {
    const services = this.statement!.services;
    const frag = document.createDocumentFragment();
    if (services.length === 0) {
      frag.append(h('p', {}, 'No services this period.'));
      return frag;
    }
    const head = ['Service', 'Lines', 'Computed', 'Pushed', 'Rounding', 'Unmapped lines', 'Unbilled units'];
    frag.append(
      h(
        'table',
        { class: 'gic-receipts gcs-services' },
        h(
          'caption',
          {},
          'Per service: units billed up or down by rounding, and units of unmapped lines that reach no invoice',
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...head.map((label, i) => h('th', { scope: 'col', class: i > 0 ? 'gic-num' : undefined }, label)),
          ),
        ),
        h(
          'tbody',
          {},
          ...services.map((s) =>
            h(
              'tr',
              { 'data-service': s.serviceKey },
              h('th', { scope: 'row' }, s.serviceName),
              ...[
                numberText(s.lines),
                numberText(s.computed),
                numberText(s.pushed),
                deltaText(s.roundingDelta),
                numberText(s.notMappedLines),
                numberText(s.notMappedUnits),
              ].map((t) => h('td', { class: 'gic-num' }, t)),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'gcs-charts' },
        chart(
          'Rounding per service, in units',
          'Units billed up (+) or down (−) by the rounding policy.',
          { name: 'Rounding', className: 'gcs-bar-rounding' },
          services.map((s) => ({ label: s.serviceName, values: [s.roundingDelta] })),
          deltaText,
        ),
        chart(
          'Unbilled units per service',
          'Units of unmapped lines: no invoice carries them.',
          { name: 'Unbilled units', className: 'gcs-bar-unbilled' },
          services.map((s) => ({ label: s.serviceName, values: [s.notMappedUnits] })),
          numberText,
        ),
      ),
    );
    return frag;
  }

  private adjustments(): HTMLElement {
    const s = this.statement!;
    if (s.adjustments.length === 0)
      return h(
        'p',
        {},
        s.closed ? 'No adjustments since the statement closed.' : 'None: adjustments appear once the month is closed.',
      );
    const names = new Map(
      s.lines.map((l) => [`${l.accountId}/${l.serviceKey}`, `${l.accountName} · ${l.serviceName}`]),
    );
    return h(
      'ul',
      { class: 'gcs-adjustments' },
      ...s.adjustments.map((a) =>
        h(
          'li',
          {},
          `${names.get(`${a.accountId}/${a.serviceKey}`) ?? `${a.accountId} · ${a.serviceKey}`}: ${numberText(a.closedValue)} at close, now ${numberText(a.currentValue)} (seen ${whenText(a.at)})`,
        ),
      ),
    );
  }
}

/** One series' chart in a figure, its caption the chart's name and what the bars mean. */
function chart(name: string, meaning: string, series: BarSeries, rows: BarRow[], format: (n: number) => string) {
  return h(
    'figure',
    { class: 'gcs-figure' },
    barChart(name, [series], rows, format),
    h('figcaption', {}, h('strong', {}, name), `: ${meaning}`),
  );
}
