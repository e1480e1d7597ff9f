// The partner team's pages in a real browser on the local stack and the Gradient emulator: a month's statement
// (its cells equal the statement route's JSON, its CSV link downloads the same lines, sorting and the outcome
// filter work) and the fleet (the partners listed, the status filter, paging, the links to card and statement).
// axe-core runs on each page; no console errors.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { FleetView, StatementView } from '../../console/src/views';
import { deltaText, numberText } from '../../console/src/words';
import { CONSOLE_MSP, seedConsoleMsp } from '../../local/console-demo';
import { DEMO_SERVICES } from '../../local/demo';
import { parseCsv } from '../support/csv-parse';
import {
  type Browser,
  launchBrowser,
  type ServedStack,
  screenshot,
  seriousViolations,
  startServedStack,
  waitForLatestRun,
  watchConsole,
} from './support';

// The console's MSP, connected with nearest rounding: one company the PSA spells differently and one product
// its PSA lacks, so the month has rounding, not-mapped lines and unbilled units. A second MSP stays pending.
const PARTNER = CONSOLE_MSP.partnerId;
const PENDING = { partnerId: 'pending-msp', key: 'pk-pending-msp-0123456789', name: 'Pending Managed IT' };
const PERIOD = new Date().toISOString().slice(0, 7);

let served: ServedStack;
let browser: Browser;
let page: Page;
let seen: ReturnType<typeof watchConsole>;

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${served.api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  }).then(async (res) => {
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  });
const api = <T>(path: string): Promise<T> => send('GET', path) as Promise<T>;

beforeAll(async () => {
  served = await startServedStack();
  for (const { serviceKey, ...service } of DEMO_SERVICES) await send('PUT', `/v1/services/${serviceKey}`, service);
  await seedConsoleMsp(served.stack.deps, served.stack.emulator!);
  await send('PUT', `/v1/partners/${PARTNER}/connection`, {
    partnerApiKey: CONSOLE_MSP.partnerApiKey,
    roundingPolicy: 'nearest',
  });
  await send('POST', `/v1/partners/${PARTNER}/mappings/sync`);
  await send('POST', `/v1/partners/${PARTNER}/resync`, {});
  await waitForLatestRun(served, PARTNER);
  served.stack.emulator!.addPartner({
    partnerApiKey: PENDING.key,
    organizationName: PENDING.name,
    psaCompanies: [],
    psaProducts: [],
  });
  await send('PUT', `/v1/partners/${PENDING.partnerId}/connection`, { partnerApiKey: PENDING.key });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  seen = watchConsole(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function expectAccessible(name: string) {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
}

const lines = () => page.locator('table.gcs-lines tbody tr');
const columnTexts = async (index: number) =>
  lines().evaluateAll((rows, i) => rows.map((r) => r.children[i]!.textContent ?? ''), index);

describe('the statement page', () => {
  let statement: StatementView;

  beforeAll(async () => {
    statement = await api<StatementView>(`/v1/partners/${PARTNER}/statements/${PERIOD}`);
    await page.goto(`${served.api.url}/console/partners/${PARTNER}/statements/${PERIOD}`);
    await page.locator('table.gcs-lines').waitFor();
  });

  it('shows every line with the numbers the statement route answers, and whether the month is open', async () => {
    expect(statement.lines.length).toBeGreaterThan(0);
    expect(await lines().count()).toBe(statement.lines.length);
    for (const line of statement.lines) {
      const row = page.locator(`tr[data-account="${line.accountId}"][data-service="${line.serviceKey}"]`);
      const cells = await row.locator('th, td').allTextContents();
      expect(cells.slice(0, 6)).toEqual([
        line.accountName,
        line.serviceName,
        numberText(line.computed),
        numberText(line.pushed),
        deltaText(line.roundingDelta),
        line.held === null ? '—' : numberText(line.held),
      ]);
    }
    expect(statement.closed).toBe(false);
    expect(await page.locator('.gcs .gic-state').textContent()).toBe('Open');
    await expectAccessible('statement-open');
  });

  it('shows each service’s rounding and unbilled units as the route answers them, in the table and the chart', async () => {
    const unbilled = statement.services.filter((s) => s.notMappedUnits > 0);
    expect(unbilled.length).toBeGreaterThan(0);
    for (const s of statement.services) {
      const cells = await page.locator(`table.gcs-services tr[data-service="${s.serviceKey}"] td`).allTextContents();
      expect(cells).toEqual(
        [s.lines, s.computed, s.pushed]
          .map(numberText)
          .concat(deltaText(s.roundingDelta), numberText(s.notMappedLines), numberText(s.notMappedUnits)),
      );
    }
    const bars = await page.locator('svg.gcs-chart rect.gcs-bar-unbilled title').allTextContents();
    expect(bars).toContain(`${unbilled[0]!.serviceName}, Unbilled units: ${numberText(unbilled[0]!.notMappedUnits)}`);
  });

  it('downloads the CSV of the same lines from its Download CSV link', async () => {
    const link = page.getByRole('link', { name: 'Download CSV' });
    expect(await link.getAttribute('href')).toMatch(/\?format=csv$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const [header, ...rows] = parseCsv(await readFile((await download.path())!, 'utf8'));
    expect(header!.slice(0, 6)).toEqual([
      'accountId',
      'accountName',
      'serviceKey',
      'serviceName',
      'computed',
      'pushed',
    ]);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => [r[col('accountId')], r[col('serviceKey')], Number(r[col('pushed')])])).toEqual(
      statement.lines.map((l) => [l.accountId, l.serviceKey, l.pushed]),
    );
  });

  it('sorts by a column header, and again the other way', async () => {
    const computed = page.getByRole('button', { name: 'Computed', exact: true });
    await computed.click();
    const ascending = [...statement.lines].map((l) => l.computed).sort((a, b) => a - b);
    expect(await columnTexts(2)).toEqual(ascending.map(numberText));
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toBe('Computed');
    await computed.click();
    expect(await columnTexts(2)).toEqual([...ascending].reverse().map(numberText));
  });

  it('filters the lines by outcome with the labelled select', async () => {
    const notMapped = statement.lines.filter((l) => l.outcome === 'not_mapped');
    expect(notMapped.length).toBeGreaterThan(0);
    await page.getByLabel('Outcome').selectOption('not_mapped');
    expect(await lines().count()).toBe(notMapped.length);
    expect(new Set(await columnTexts(6))).toEqual(new Set(['Not sent: not mapped in the PSA']));
    await expectAccessible('statement-filtered');
    await page.getByLabel('Outcome').selectOption('');
    expect(await lines().count()).toBe(statement.lines.length);
  });
});

it('shows a past month as closed, its values final', async () => {
  const [year, month] = PERIOD.split('-').map(Number) as [number, number];
  const previous = new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 7);
  const closed = await api<StatementView>(`/v1/partners/${PARTNER}/statements/${previous}`);
  expect(closed.closed).toBe(true);
  await page.goto(`${served.api.url}/console/partners/${PARTNER}/statements/${previous}`);
  await page.locator('.gcs .gic-state').filter({ hasText: 'Closed' }).waitFor();
  expect(await page.locator('.gcs .gic-hint').textContent()).toContain(`Closed: computed as of ${closed.asOf}`);
  expect(await lines().count()).toBe(closed.lines.length);
  await expectAccessible('statement-closed');
});

describe('the fleet page', () => {
  const rows = () => page.locator('table.gcf-partners tbody tr');

  beforeAll(async () => {
    await page.goto(`${served.api.url}/console/fleet`);
    await rows().first().waitFor();
  });

  it('lists every partner with its status, failed lines and unmapped companies as the fleet route answers', async () => {
    const fleet = await api<FleetView>('/v1/partners');
    expect(fleet.partners.map((p) => p.partnerId).sort()).toEqual([PENDING.partnerId, PARTNER].sort());
    expect(await rows().evaluateAll((r) => r.map((tr) => tr.getAttribute('data-partner')))).toEqual(
      fleet.partners.map((p) => p.partnerId),
    );
    for (const p of fleet.partners) {
      const cells = await page.locator(`tr[data-partner="${p.partnerId}"] td`).allTextContents();
      expect(cells[2]).toBe(numberText(p.failedLines));
      expect(cells[3]).toBe(p.unmappedAccounts === null ? '—' : numberText(p.unmappedAccounts));
    }
    await expectAccessible('fleet');
  });

  it('filters by status', async () => {
    const shown = () => rows().evaluateAll((r) => r.map((tr) => tr.getAttribute('data-partner')));
    await page.getByLabel('Status').selectOption('pending');
    await page.getByRole('status').filter({ hasText: '1 partner shown' }).waitFor();
    expect(await shown()).toEqual([PENDING.partnerId]);
    expect(await page.locator(`tr[data-partner="${PENDING.partnerId}"] td`).nth(4).textContent()).toBe('0');
    await page.getByLabel('Status').selectOption('connected');
    await page.getByRole('status').filter({ hasText: '1 partner shown' }).waitFor();
    expect(await shown()).toEqual([PARTNER]);
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('status').filter({ hasText: '2 partners shown' }).waitFor();
  });

  it('pages with Load more, following nextCursor', async () => {
    await page.goto(`${served.api.url}/console/fleet?limit=1`);
    await page.getByRole('status').filter({ hasText: '1 partner shown; more remain' }).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('status').filter({ hasText: '2 partners shown' }).waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false);
    expect((await rows().allTextContents()).length).toBe(2);
  });

  it('links each partner to its card and its current month’s statement', async () => {
    const row = page.locator(`tr[data-partner="${PARTNER}"]`);
    expect(await row.getByRole('link', { name: `Statement ${PERIOD}` }).getAttribute('href')).toBe(
      `/console/partners/${PARTNER}/statements/${PERIOD}`,
    );
    await row.getByRole('link', { name: CONSOLE_MSP.organizationName }).click();
    await page.waitForURL(`**/console/?partner=${PARTNER}`);
    await page.locator('gradient-integration-card .gic-state').filter({ hasText: 'Connected' }).waitFor();
  });
});

it('wrote no error to the browser console', () => {
  expect(seen.errors).toEqual([]);
});
