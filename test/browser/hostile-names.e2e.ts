// Names nobody should trust, in a real browser: an MSP whose organization, companies and one service are named
// like formulas and markup. The card, the statement and the fleet show each name as the text it is (no element
// made of it, no script run), and the statement's CSV download writes every such name behind a single quote.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { DEMO_SERVICES } from '../../local/demo';
import { parseCsv } from '../support/csv-parse';
import {
  type Browser,
  launchBrowser,
  type ServedStack,
  startServedStack,
  waitForLatestRun,
  watchConsole,
} from './support';

const PARTNER = 'hostile-msp';
const KEY = 'pk-hostile-msp-0123456789abcdef';
const PERIOD = new Date().toISOString().slice(0, 7);
const ORGANIZATION = '=HYPERLINK("http://evil.example","Open")';
const COMPANIES = ['=HYPERLINK("http://evil.example","Open")', '<img src=x onerror="window.__pwned=1">', '+SUM(A1)'];
const SERVICE = { serviceKey: 'formula-seat', name: '@SUM(1+1) <b>Seat</b>' };

let served: ServedStack;
let browser: Browser;
let page: Page;
let seen: ReturnType<typeof watchConsole>;

const send = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${served.api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
};

beforeAll(async () => {
  served = await startServedStack();
  const seat = DEMO_SERVICES[0]!;
  await send('PUT', `/v1/services/${SERVICE.serviceKey}`, {
    name: SERVICE.name,
    description: seat.description,
    category: seat.category,
    subcategory: seat.subcategory,
    aggregation: seat.aggregation,
  });
  served.stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: ORGANIZATION,
    psaCompanies: COMPANIES,
    psaProducts: [SERVICE.name],
  });
  const today = new Date().toISOString().slice(0, 10);
  for (const [i, name] of COMPANIES.entries()) {
    await send('PUT', `/v1/partners/${PARTNER}/accounts/c${i + 1}`, { name });
  }
  await send('POST', `/v1/partners/${PARTNER}/usage`, {
    snapshots: COMPANIES.map((_, i) => ({
      accountId: `c${i + 1}`,
      serviceKey: SERVICE.serviceKey,
      date: today,
      quantity: i + 2,
    })),
  });
  await send('PUT', `/v1/partners/${PARTNER}/connection`, { partnerApiKey: KEY, roundingPolicy: 'down' });
  await send('POST', `/v1/partners/${PARTNER}/mappings/sync`);
  await send('POST', `/v1/partners/${PARTNER}/resync`, {});
  await waitForLatestRun(served, PARTNER);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  seen = watchConsole(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** Nothing made of the names: no image, no bold element, no script that ran. */
async function expectNoMarkupFromNames() {
  expect(await page.locator('img, b').count()).toBe(0);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
}

it('shows the organization on the card as text', async () => {
  await page.goto(`${served.api.url}/console/?partner=${PARTNER}`);
  await page.locator('gradient-integration-card .gic-state').filter({ hasText: 'Connected' }).waitFor();
  expect(await page.locator('gradient-integration-card').textContent()).toContain(ORGANIZATION);
  await expectNoMarkupFromNames();
});

it('shows every company and the service on the statement as text, and downloads them inert in the CSV', async () => {
  await page.goto(`${served.api.url}/console/partners/${PARTNER}/statements/${PERIOD}`);
  await page.locator('table.gcs-lines').waitFor();
  for (const [i, name] of COMPANIES.entries()) {
    const cells = await page
      .locator(`tr[data-account="c${i + 1}"] th, tr[data-account="c${i + 1}"] td`)
      .allTextContents();
    expect(cells.slice(0, 2)).toEqual([name, SERVICE.name]);
  }
  await expectNoMarkupFromNames();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${PARTNER}-${PERIOD}.csv`);
  const [header, ...rows] = parseCsv(await readFile((await download.path())!, 'utf8'));
  const col = (name: string) => header!.indexOf(name);
  expect(rows.map((r) => r[col('accountName')]).sort()).toEqual(
    COMPANIES.map((name) => (/^[=+\-@]/.test(name) ? `'${name}` : name)).sort(),
  );
  expect(new Set(rows.map((r) => r[col('serviceName')]))).toEqual(new Set([`'${SERVICE.name}`]));
  expect(rows.flat().filter((cell) => /^[=+@\t\r]/.test(cell) || /^-(?!\d)/.test(cell))).toEqual([]);
});

it('shows the organization in the fleet as text', async () => {
  await page.goto(`${served.api.url}/console/fleet`);
  const row = page.locator(`tr[data-partner="${PARTNER}"]`);
  await row.waitFor();
  expect(await row.getByRole('link', { name: ORGANIZATION, exact: true }).count()).toBe(1);
  await expectNoMarkupFromNames();
});

it('wrote no error to the browser console', () => {
  expect(seen.errors).toEqual([]);
});
