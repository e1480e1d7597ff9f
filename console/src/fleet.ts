// <gradient-fleet api-base>: the partner team's view of every partner — status, last run, failed lines, unmapped
// companies, days pending — filtered by status, paged with "Load more", each row linking to the partner's card
// and to its current month's statement.
import { PARTNER_STATUSES } from '../../lambdas/core/model';
import { ApiError, requestJson } from './api';
import { fill, h } from './dom';
import type { FleetPartnerView, FleetView } from './views';
import { daysSince, numberText, periodOf, plural, runStatusText, statusText, whenText } from './words';

const HEAD = ['Partner', 'Status', 'Last run', 'Failed lines', 'Unmapped companies', 'Days pending', 'Statement'];

export class GradientFleet extends HTMLElement {
  private partners: FleetPartnerView[] = [];
  private nextCursor?: string;
  private status = '';
  private readonly body = h('div', { class: 'gic gcf' });
  private readonly rows = h('tbody', {});
  private readonly more = h('button', { type: 'button' }, 'Load more');
  private readonly note = h('p', { role: 'status', class: 'gic-status' });
  private readonly alert = h('div', { role: 'alert', class: 'gic-alert' });

  connectedCallback(): void {
    if (this.body.isConnected) return;
    this.append(this.body);
    const select = h(
      'select',
      { id: 'gcf-status' },
      h('option', { value: '' }, 'All statuses'),
      ...PARTNER_STATUSES.map((s) => h('option', { value: s }, statusText(s))),
    );
    select.addEventListener('change', () => {
      this.status = select.value;
      void this.load(true);
    });
    this.more.addEventListener('click', () => void this.load(false));
    fill(
      this.body,
      h('header', {}, h('h2', {}, 'Partners')),
      h('div', { class: 'gic-row gcs-filter' }, h('label', { for: 'gcf-status' }, 'Status'), select),
      this.alert,
      h(
        'div',
        { class: 'gic-scroll', tabindex: '0', role: 'region', 'aria-label': 'Partners' },
        h(
          'table',
          { class: 'gic-receipts gcf-partners' },
          h('caption', {}, 'Latest activity first'),
          h('thead', {}, h('tr', {}, ...HEAD.map((label) => h('th', { scope: 'col' }, label)))),
          this.rows,
        ),
      ),
      this.note,
      h('div', { class: 'gic-actions' }, this.more),
    );
    void this.load(true);
  }

  private get base(): string {
    return (this.getAttribute('api-base') ?? '').replace(/\/+$/, '');
  }

  private async load(fresh: boolean): Promise<void> {
    const query = new URLSearchParams();
    if (this.status) query.set('status', this.status);
    if (!fresh && this.nextCursor) query.set('cursor', this.nextCursor);
    const limit = this.getAttribute('page-size');
    if (limit) query.set('limit', limit);
    this.more.disabled = true;
    fill(this.alert);
    fill(this.note, 'Loading partners…');
    try {
      const page = await requestJson<FleetView>('GET', `${this.base}/v1/partners?${query}`);
      this.partners = fresh ? page.partners : [...this.partners, ...page.partners];
      this.nextCursor = page.nextCursor;
      this.render();
    } catch (error) {
      fill(this.note);
      fill(this.alert, error instanceof ApiError ? error.message : 'The partners could not be listed.');
    } finally {
      this.more.disabled = false;
    }
  }

  private render(): void {
    const now = new Date();
    const period = periodOf(now);
    fill(this.rows, ...this.partners.map((p) => row(p, now, period)));
    this.more.hidden = this.nextCursor === undefined;
    fill(
      this.note,
      this.partners.length === 0
        ? 'No partners in this status.'
        : `${plural(this.partners.length, 'partner')} shown${this.nextCursor ? '; more remain' : ''}.`,
    );
  }
}

function row(p: FleetPartnerView, now: Date, period: string): HTMLTableRowElement {
  const id = encodeURIComponent(p.partnerId);
  const run = p.lastRun;
  return h(
    'tr',
    { 'data-partner': p.partnerId, 'data-status': p.status },
    h(
      'th',
      { scope: 'row' },
      h('a', { href: `/console/?partner=${id}` }, p.organizationName ?? p.partnerId),
      p.organizationName ? h('span', { class: 'gic-id' }, ` ${p.partnerId}`) : undefined,
    ),
    h(
      'td',
      {},
      statusText(p.status),
      p.statusReason ? h('span', { class: 'gic-id' }, ` (${p.statusReason})`) : undefined,
    ),
    h(
      'td',
      {},
      run ? `${runStatusText(run.status)}${run.finishedAt ? `, ${whenText(run.finishedAt)}` : ''}` : 'No run yet',
    ),
    h('td', { class: 'gic-num' }, numberText(p.failedLines)),
    h('td', { class: 'gic-num' }, p.unmappedAccounts === null ? '—' : numberText(p.unmappedAccounts)),
    h('td', { class: 'gic-num' }, p.pendingSince ? numberText(daysSince(p.pendingSince, now)) : '—'),
    h('td', {}, h('a', { href: `/console/partners/${id}/statements/${period}` }, `Statement ${period}`)),
  );
}
