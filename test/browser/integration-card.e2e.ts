// The MSP's setup in a real browser: the integration card served at /console/?partner=<id> by the local API
// server, calling the real API over the local stack and the Gradient emulator. Each step is checked on screen
// and behind it (API, Secrets Manager emulator, Gradient emulator); axe-core runs on every state shown.
import type { Page } from 'playwright-core';
import type { MappingsView, PartnerView, RunDetailView, RunListView } from '../../client/types';
import { upsertService } from '../../lambdas/core/intake';
import { CONSOLE_MSP, seedConsoleMsp } from '../../local/console-demo';
import { DEMO_SERVICES } from '../../local/demo';
import {
  type Browser,
  launchBrowser,
  type ServedStack,
  screenshot,
  seriousViolations,
  startServedStack,
  watchConsole,
} from './support';

const PARTNER = CONSOLE_MSP.partnerId;
const KEY = CONSOLE_MSP.partnerApiKey;

let served: ServedStack;
let browser: Browser;
let page: Page;
let seen: ReturnType<typeof watchConsole>;

beforeAll(async () => {
  served = await startServedStack();
  for (const { serviceKey, ...service } of DEMO_SERVICES) await upsertService(served.stack.deps, serviceKey, service);
  await seedConsoleMsp(served.stack.deps, served.stack.emulator!);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  // The card tries the wrong key's save (422): an answer it shows.
  seen = watchConsole(page, [{ status: 422, url: new RegExp(`/v1/partners/${PARTNER}/connection$`) }]);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const call = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${served.api.url}/v1/partners/${PARTNER}${path}`);
  return { status: res.status, body: (await res.json()) as T };
};
const partner = () => call<PartnerView>('');
const runs = async () => (await call<RunListView>('/runs')).body.runs;
const card = () => page.locator('gradient-integration-card');
const state = () => card().locator('.gic-state');
const keyField = () => page.getByLabel('Gradient API key');
const gradientWrites = () => served.stack.emulator!.requestLog().filter((r) => r.method !== 'GET');

async function expectAccessible(name: string) {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
}

it('shows a partner that never connected as Not connected, with the key field and its buttons labelled', async () => {
  await page.goto(`${served.api.url}/console/?partner=${PARTNER}`);
  await expect(state().textContent()).resolves.toBe('Not connected');
  expect(await keyField().getAttribute('type')).toBe('password');
  await page.getByRole('button', { name: 'Test connection' }).waitFor();
  await page.getByRole('button', { name: 'Save' }).waitFor();
  expect(await page.getByRole('button', { name: 'Sync mappings' }).isVisible()).toBe(false);
  await expectAccessible('card-not-connected');
});

it('answers a wrong key with an alert a person can act on, and changes nothing', async () => {
  await keyField().fill('pk-wrong-0000000000');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByRole('alert').filter({ hasText: 'rejected' }).waitFor();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'Generate a new key' }).waitFor();
  await expect(state().textContent()).resolves.toBe('Not connected');
  await expectAccessible('card-key-rejected');

  // Still known only by the companies the vendor registered: not connected, no organization.
  const after = await partner();
  expect(after.status).toBe(200);
  expect(after.body).toMatchObject({ status: 'not_connected' });
  expect(after.body.organizationName).toBeUndefined();
  expect(await served.stack.deps.keys.get(PARTNER)).toBeUndefined();
  expect(served.stack.emulator!.services()).toEqual([]);
  expect(gradientWrites()).toEqual([]);
});

it('tests and saves the right key: Pending, the organization shown, the field cleared, the key kept server-side only', async () => {
  await keyField().fill(KEY);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `The key works: organization ${CONSOLE_MSP.organizationName}` })
    .waitFor();
  expect(await page.getByRole('alert').textContent()).toBe('');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await expect(state().textContent()).resolves.toBe('Pending');
  expect(await card().locator('.gic-facts').textContent()).toContain(CONSOLE_MSP.organizationName);
  expect(await keyField().inputValue()).toBe('');

  expect((await partner()).body.status).toBe('pending');
  expect(await served.stack.deps.keys.get(PARTNER)).toBe(KEY);
  expect(await page.content()).not.toContain(KEY);
  expect(await page.evaluate('JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage)])')).toBe(
    '[[],[]]',
  );
});

it('syncs mappings and lists the company the PSA spells differently as unmapped', async () => {
  await page.getByRole('button', { name: 'Sync mappings' }).click();
  const unmapped = page.getByRole('list', { name: 'Unmapped companies' });
  await unmapped.waitFor();
  expect(await unmapped.getByRole('listitem').allTextContents()).toEqual([`Delta Realty Partners (${PARTNER}-c4)`]);
  expect(await card().locator('.gic-mappings').textContent()).toContain('5 of 6 companies are mapped');
  await expectAccessible('card-mappings');
});

it('resyncs: the run is shown until it ends, then its receipts, and the card turns Connected', async () => {
  await page.getByRole('button', { name: 'Resync', exact: true }).click();
  const receipts = page.getByRole('table');
  await receipts.waitFor();
  await page.getByText('Connected', { exact: true }).waitFor();

  const run = (await call<RunDetailView>(`/runs/${(await runs())[0]!.runId}`)).body;
  expect(run.status).toBe('succeeded');
  expect(await receipts.locator('tbody tr').count()).toBe(run.lines.length);
  const accepted = run.lines.find((l) => l.outcome === 'accepted')!;
  const { accounts } = (await call<MappingsView>('/mappings')).body;
  const name = accounts.find((a) => a.accountId === accepted.accountId)!.gradientName;
  const row = receipts.locator('tbody tr', { hasText: name }).filter({ hasText: accepted.serviceKey });
  expect(await row.locator('td').nth(1).textContent()).toBe('Sent, accepted');
  expect(accepted.reason).toBe('new_line');
  expect(await row.locator('td').nth(3).textContent()).toBe('First value for this line');
  expect((await partner()).body.status).toBe('connected');
  expect(await card().locator('.gic-facts').textContent()).toContain(`period ${run.period}: Finished`);
  await expectAccessible('card-connected');
});

it('turns billing alerts on and off with the switch, stored through PATCH and shown as the API holds it', async () => {
  const toggle = page.getByLabel(/Open tickets in our PSA/);
  expect(await toggle.isChecked()).toBe(false);
  await toggle.check();
  await page.getByText(/Billing alerts on/).waitFor();
  expect((await partner()).body.alerts).toEqual({ enabled: true, priority: 1 });
  await expectAccessible('card-alerts-on');
  await page.reload();
  await page.getByText('Connected', { exact: true }).waitFor();
  expect(await page.getByLabel(/Open tickets in our PSA/).isChecked()).toBe(true);
  await page.getByLabel(/Open tickets in our PSA/).uncheck();
  await page.getByText('Billing alerts off.').waitFor();
  expect((await partner()).body.alerts.enabled).toBe(false);
});

it('asks a second time before a full resync, and sends nothing when cancelled', async () => {
  const before = (await runs()).length;
  await page.getByRole('button', { name: 'Full resync…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send every line again?' });
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect((await runs()).length).toBe(before);

  await page.getByRole('button', { name: 'Full resync…' }).click();
  // The earlier resync's "Finished" is still on screen: wait for this one's run to end, not for that text.
  const queued = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/resync'));
  await dialog.getByRole('button', { name: 'Send every line' }).click();
  const { runId } = (await (await queued).json()) as { runId: string };
  await page.waitForResponse(
    async (r) => r.url().endsWith(`/runs/${runId}`) && /"status":"(succeeded|partial|failed)"/.test(await r.text()),
  );
  await page.getByRole('status').filter({ hasText: 'Finished' }).waitFor();
  const after = await runs();
  expect(after.length).toBe(before + 1);
  expect(after[0]!.full).toBe(true);
});

it('disconnects only after the dialog that says what it deletes', async () => {
  await page.getByRole('button', { name: 'Disconnect…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disconnect Gradient?' });
  await dialog.waitFor();
  const text = await dialog.textContent();
  expect(text).toContain('deletes the stored Gradient API key and every company and service mapping');
  expect(text).toContain('Gradient deletes the accounts');
  await expectAccessible('card-disconnect-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await served.stack.deps.keys.get(PARTNER)).toBe(KEY);

  await page.getByRole('button', { name: 'Disconnect…' }).click();
  await dialog.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByText('Disconnected', { exact: true }).waitFor();
  expect(await served.stack.deps.keys.get(PARTNER)).toBeUndefined();
  expect((await call<MappingsView>('/mappings')).body).toEqual({ accounts: [], services: [] });
  expect((await partner()).body.status).toBe('disconnected');
  await expectAccessible('card-disconnected');
});

it('wrote no error and never the key to the browser console', () => {
  expect(seen.errors).toEqual([]);
  expect(seen.messages.filter((m) => m.includes(KEY))).toEqual([]);
});
