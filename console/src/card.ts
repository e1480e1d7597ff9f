// <gradient-integration-card partner-id="…" api-base="…">: the MSP's Gradient setup in the vendor's console —
// paste and test the key, save, sync mappings, resync with its receipts, disconnect. A plain custom element in
// the light DOM (the vendor's page styles it with card.css); every call goes to `api-base` (see api.ts).
// The key is read from the password field when a button is pressed, sent in the body, and the field is cleared
// after a save: it is never rendered, logged or written to browser storage.
import type { MappingSyncResultView, PartnerView, RunDetailView } from '../../client/types';
import { isRunFinished } from '../../lambdas/core/model';
import { ApiError, CardApi } from './api';
import { confirmDialog } from './dialog';
import { fill, h } from './dom';
import { renderReceipts } from './receipts';
import { cardState, runLaneText, runStatusText, stateHint, summaryText, whenText } from './words';

const POLL_MS = 500;
let instances = 0;

export class GradientIntegrationCard extends HTMLElement {
  static readonly observedAttributes = ['partner-id', 'api-base'];

  private readonly uid = `gic${++instances}`;
  private api?: CardApi;
  private partner: PartnerView | undefined;
  private polling?: ReturnType<typeof setTimeout>;
  private readonly ui = {
    state: h('strong', { class: 'gic-state' }),
    hint: h('p', { class: 'gic-hint' }),
    facts: h('dl', { class: 'gic-facts' }),
    key: h('input', {
      type: 'password',
      id: `${this.uid}-key`,
      name: 'partnerApiKey',
      autocomplete: 'off',
      spellcheck: 'false',
      required: true,
    }),
    test: h('button', { type: 'button' }, 'Test connection'),
    save: h('button', { type: 'submit', class: 'gic-primary' }, 'Save'),
    alert: h('div', { role: 'alert', class: 'gic-alert' }),
    status: h('div', { role: 'status', class: 'gic-status' }),
    actions: h('div', { class: 'gic-actions', role: 'group', 'aria-label': 'Integration actions' }),
    syncMappings: h('button', { type: 'button' }, 'Sync mappings'),
    resync: h('button', { type: 'button' }, 'Resync'),
    fullResync: h('button', { type: 'button' }, 'Full resync…'),
    disconnect: h('button', { type: 'button', class: 'gic-danger' }, 'Disconnect…'),
    alerts: h('input', { type: 'checkbox', id: `${this.uid}-alerts` }),
    alertsRow: h('p', { class: 'gic-switch', hidden: true }),
    mappings: h('section', { class: 'gic-mappings', 'aria-labelledby': `${this.uid}-mappings`, hidden: true }),
    run: h('section', { class: 'gic-run', 'aria-labelledby': `${this.uid}-run`, hidden: true }),
  };

  connectedCallback(): void {
    if (!this.firstChild) this.build();
    void this.refresh();
  }

  disconnectedCallback(): void {
    clearTimeout(this.polling);
  }

  attributeChangedCallback(): void {
    this.api = undefined;
    if (this.isConnected && this.firstChild) void this.refresh();
  }

  private client(): CardApi {
    this.api ??= new CardApi(this.getAttribute('api-base') ?? '', this.getAttribute('partner-id') ?? '');
    return this.api;
  }

  private build(): void {
    const u = this.ui;
    const form = h(
      'form',
      { class: 'gic-key', novalidate: true },
      h('label', { for: u.key.id }, 'Gradient API key'),
      h('div', { class: 'gic-row' }, u.key, u.test, u.save),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    u.test.addEventListener('click', () => void this.test());
    u.syncMappings.addEventListener('click', () => void this.syncMappings());
    u.resync.addEventListener('click', () => void this.resync(false));
    u.fullResync.addEventListener('click', () => void this.confirmFullResync());
    u.disconnect.addEventListener('click', () => void this.confirmDisconnect());
    fill(u.actions, u.syncMappings, u.resync, u.fullResync, u.disconnect);
    u.alerts.addEventListener('change', () => void this.setAlerts(u.alerts.checked));
    fill(
      u.alertsRow,
      u.alerts,
      h(
        'label',
        { for: u.alerts.id },
        'Open tickets in our PSA for billing problems (unmapped companies with usage, refused services, before the close day)',
      ),
    );
    const title = `${this.uid}-title`;
    this.replaceChildren(
      h(
        'section',
        { class: 'gic', 'aria-labelledby': title },
        h('header', {}, h('h2', { id: title }, 'Gradient MSP billing'), h('p', {}, 'Status: ', u.state)),
        u.hint,
        u.facts,
        form,
        u.alert,
        u.status,
        u.actions,
        u.alertsRow,
        u.mappings,
        u.run,
      ),
    );
  }

  /** Runs one button's work: buttons disabled meanwhile, the alert cleared first and set on failure. */
  private async act(busyText: string, work: () => Promise<void>): Promise<void> {
    const u = this.ui;
    const buttons = [u.test, u.save, u.syncMappings, u.resync, u.fullResync, u.disconnect, u.alerts];
    for (const b of buttons) b.disabled = true;
    this.setAttribute('aria-busy', 'true');
    fill(u.alert);
    fill(u.status, busyText);
    try {
      await work();
    } catch (error) {
      fill(u.status);
      this.fail(error);
    } finally {
      for (const b of buttons) b.disabled = false;
      this.removeAttribute('aria-busy');
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof ApiError ? error.message : 'Something went wrong in the card. Reload the page.';
    fill(this.ui.alert, message);
  }

  private async refresh(): Promise<void> {
    try {
      this.partner = await this.client().partner();
      this.render();
    } catch (error) {
      this.fail(error);
    }
  }

  private render(): void {
    const u = this.ui;
    const p = this.partner;
    const state = cardState(p);
    fill(u.state, state);
    u.state.dataset['state'] = state.toLowerCase().replace(/ /g, '-');
    fill(u.hint, stateHint(state));
    const facts: Array<[string, string]> = [];
    if (p?.organizationName) facts.push(['Organization', p.organizationName]);
    if (p) {
      const m = p.mappings;
      facts.push(['Companies mapped', `${m.mappedAccounts} of ${m.accounts}`]);
      const last = p.lastRun;
      facts.push([
        'Last sync',
        last
          ? `${last.finishedAt ? whenText(last.finishedAt) : 'in progress'}, period ${last.period}: ${runStatusText(last.status)}`
          : 'none yet',
      ]);
      if (last) facts.push(['Summary', summaryText(last.summary)]);
    }
    fill(u.facts, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
    u.actions.hidden = !p || p.status === 'disconnected';
    u.alertsRow.hidden = u.actions.hidden;
    u.alerts.checked = p?.alerts.enabled ?? false;
  }

  private setAlerts(enabled: boolean): Promise<void> {
    return this.act(enabled ? 'Turning billing alerts on…' : 'Turning billing alerts off…', async () => {
      const current = this.partner?.alerts ?? { enabled: false, priority: 1 };
      try {
        this.partner = await this.client().setAlerts({ ...current, enabled });
      } finally {
        // Refused or not, the switch shows the setting as the API holds it.
        this.render();
      }
      fill(
        this.ui.status,
        enabled
          ? 'Billing alerts on: the nightly sync opens a ticket in your PSA for each billing problem, once.'
          : 'Billing alerts off.',
      );
    });
  }

  /** The key in the field, trimmed; never kept anywhere else. */
  private keyValue(): string {
    return this.ui.key.value.trim();
  }

  private test(): Promise<void> {
    return this.act('Testing the key with Gradient…', async () => {
      const key = this.keyValue();
      if (!key && !this.partner) {
        fill(this.ui.status);
        fill(this.ui.alert, 'Paste the Gradient API key first.');
        return;
      }
      const result = await this.client().testConnection(key || undefined);
      if (result.ok) {
        const org = result.organization?.name;
        fill(
          this.ui.status,
          `The ${key ? '' : 'stored '}key works${org ? `: organization ${org}` : ''}. Save it to connect.`,
        );
      } else {
        fill(this.ui.status);
        fill(this.ui.alert, result.reason ?? 'Gradient did not accept the key.');
      }
    });
  }

  private save(): Promise<void> {
    return this.act('Saving the key and setting Gradient up…', async () => {
      const key = this.keyValue();
      if (!key) {
        fill(this.ui.status);
        fill(this.ui.alert, 'Paste the Gradient API key first.');
        return;
      }
      this.partner = await this.client().saveConnection(key);
      this.ui.key.value = '';
      this.render();
      fill(this.ui.status, `Saved. Gradient is set up for ${this.partner.organizationName ?? 'this organization'}.`);
    });
  }

  private syncMappings(): Promise<void> {
    return this.act('Syncing mappings with Gradient…', async () => {
      const result = await this.client().syncMappings();
      this.showMappings(result);
      fill(this.ui.status, 'Mappings synced.');
      await this.refresh();
    });
  }

  private showMappings(result: MappingSyncResultView): void {
    const id = `${this.uid}-mappings`;
    const total = result.mapped + result.unmappedCount;
    this.ui.mappings.hidden = false;
    fill(
      this.ui.mappings,
      h('h3', { id }, 'Mappings'),
      h(
        'p',
        {},
        `${result.mapped} of ${total} companies are mapped in your PSA; ${result.services} services are set up in Gradient.`,
      ),
      result.unmapped.length > 0 && h('p', {}, 'Not mapped yet (map them in Gradient Synthesize, then sync again):'),
      result.unmapped.length > 0 &&
        h(
          'ul',
          { class: 'gic-unmapped', 'aria-label': 'Unmapped companies' },
          ...result.unmapped.map((a) => h('li', {}, a.name, ' ', h('span', { class: 'gic-id' }, `(${a.accountId})`))),
        ),
      // Unmapped services and their units are the month's to-do list (GET …/unmapped), shown with the statement.
    );
  }

  private async confirmFullResync(): Promise<void> {
    const yes = await confirmDialog(this.firstElementChild as HTMLElement, {
      title: 'Send every line again?',
      body: [
        'A full resync sends every line of the current period to Gradient, including lines Gradient already accepted with the same value.',
      ],
      confirm: 'Send every line',
    });
    if (yes) await this.resync(true);
  }

  private resync(full: boolean): Promise<void> {
    return this.act(full ? 'Queuing a full resync…' : 'Queuing a resync…', async () => {
      const queued = await this.client().resync(full);
      fill(this.ui.status, `Resync of ${queued.period} queued.`);
      this.showRun(undefined, queued.period);
      await this.poll(queued.runId);
    });
  }

  /** Polls the run until it ends, showing its status; then its receipts and the partner as it is now. */
  private async poll(runId: string): Promise<void> {
    for (;;) {
      const run = await this.client().run(runId);
      const done = isRunFinished(run.status);
      this.showRun(run, run.period, done ? await this.accountNames() : undefined);
      if (done) {
        fill(this.ui.status, `Resync of ${run.period}: ${runStatusText(run.status)}.`);
        await this.refresh();
        return;
      }
      await new Promise((resolve) => {
        this.polling = setTimeout(resolve, POLL_MS);
      });
      if (!this.isConnected) return;
    }
  }

  /** Company names as Gradient holds them, for the receipts; ids alone when the mappings cannot be read. */
  private async accountNames(): Promise<Map<string, string>> {
    try {
      const { accounts } = await this.client().mappings();
      return new Map(accounts.map((a) => [a.accountId, a.gradientName]));
    } catch {
      return new Map();
    }
  }

  private showRun(run: RunDetailView | undefined, period: string, names?: Map<string, string>): void {
    const id = `${this.uid}-run`;
    const done = run !== undefined && isRunFinished(run.status);
    this.ui.run.hidden = false;
    fill(
      this.ui.run,
      h('h3', { id }, `Resync of ${period}`),
      h('p', {}, run ? `${runStatusText(run.status)} — ${summaryText(run.summary)}` : 'Queued'),
      run && h('p', { class: 'gic-lane' }, `Lane: ${runLaneText(run.lane)}`),
      !done && h('progress', { 'aria-label': `Resync of ${period} in progress` }),
      done && renderReceipts(run, names),
    );
  }

  private async confirmDisconnect(): Promise<void> {
    const yes = await confirmDialog(this.firstElementChild as HTMLElement, {
      title: 'Disconnect Gradient?',
      body: [
        'This deletes the stored Gradient API key and every company and service mapping of this integration, and stops the nightly sync.',
        'Gradient deletes the accounts it holds for this integration. Past runs stay listed here.',
      ],
      confirm: 'Disconnect',
      danger: true,
    });
    if (!yes) return;
    await this.act('Disconnecting…', async () => {
      const warning = await this.client().disconnect();
      this.ui.mappings.hidden = true;
      this.ui.run.hidden = true;
      await this.refresh();
      fill(this.ui.status, 'Disconnected.');
      if (warning) fill(this.ui.alert, warning);
    });
  }
}
