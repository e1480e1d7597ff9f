// What reaches no invoice on the local stack, through the real API handler over HTTP: the accounts
// Gradient reports unmapped with the units their lines would bill (worked out here), PSA name suggestions from the
// emulator's Get Clients, a service the MSP has no PSA product for, and no suggestions when Get Clients fails.
import { saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { periodEnd, previousPeriod, todayUtc } from '../../lambdas/core/period';
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startStackApi } from '../support/stack-api';

const PARTNER = 'msp-unmapped';
const PERIOD = previousPeriod(todayUtc(new Date()).slice(0, 7));
const LAST = periodEnd(PERIOD);
const DAYS = Number(LAST.slice(8));
const day = (d: number) => `${PERIOD}-${String(d).padStart(2, '0')}`;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

let stack: LocalStack;
let api: ApiServer;

async function unmapped(query = `?period=${PERIOD}`) {
  const res = await fetch(`${api.url}/v1/partners/${PARTNER}/unmapped${query}`, {
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  api = await startStackApi(stack, 'unmapped');
  const service = (name: string, aggregation: 'average' | 'sum') => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    aggregation,
  });
  await upsertService(stack.deps, 'seats', service('Seats', 'average'));
  await upsertService(stack.deps, 'scans', service('Scans', 'sum'));
  await upsertAccount(stack.deps, PARTNER, 'a1', { name: 'Alpha Dental, Inc.' });
  await upsertAccount(stack.deps, PARTNER, 'a2', { name: 'Beta Legal LLC' });
  await upsertAccount(stack.deps, PARTNER, 'a3', { name: 'Gamma Farms' });
  stack.emulator!.addPartner({
    partnerApiKey: 'unmapped-partner-key-0123456789',
    organizationName: 'Unmapped MSP',
    // a1 maps by its exact name; the PSA spelled a2 differently (a near miss); nothing is close to a3.
    psaCompanies: ['Alpha Dental, Inc.', 'BETA LEGAL', 'Beta Logistics', 'Zeta Motors'],
    // No PSA product for Scans: Gradient answers 404 for it even on a mapped account.
    psaProducts: ['Seats'],
  });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: 'unmapped-partner-key-0123456789', roundingPolicy: 'up' });
  const snap = (accountId: string, serviceKey: string, d: number, quantity: number) => ({
    accountId,
    serviceKey,
    date: day(d),
    quantity,
  });
  await ingestUsage(stack.deps, PARTNER, [
    snap('a1', 'seats', 1, 10),
    snap('a1', 'scans', 2, 3),
    snap('a1', 'scans', 5, 4),
    snap('a2', 'seats', 1, 6),
    snap('a2', 'seats', 8, 9),
    snap('a2', 'scans', 3, 2),
    snap('a3', 'seats', 1, 1),
  ]);
  await enqueueRun(stack.deps, {
    runId: '20990101T000001Z-r-unmapped',
    partnerId: PARTNER,
    period: PERIOD,
    asOf: LAST,
    full: false,
    trigger: 'resync',
    queuedAt: new Date(),
  });
  await stack.queue.drain(stack.worker);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

it('lists the unmapped accounts with their units and suggestions, and the service without a PSA product', async () => {
  const { status, body } = await unmapped();
  expect(status).toBe(200);
  // Worked by hand: a2 has 6 seats on days 1–7 and 9 from the 8th (the average); 2 scans (the sum); a3 1 seat all
  // month; Scans over every account: 3 + 4 (a1) + 2 (a2).
  expect(body).toEqual({
    partnerId: PARTNER,
    period: PERIOD,
    accounts: [
      {
        accountId: 'a2',
        name: 'Beta Legal LLC',
        units: [
          { serviceKey: 'scans', computed: 2 },
          { serviceKey: 'seats', computed: r4((6 * 7 + 9 * (DAYS - 7)) / DAYS) },
        ],
        suggestions: ['BETA LEGAL'],
      },
      { accountId: 'a3', name: 'Gamma Farms', units: [{ serviceKey: 'seats', computed: 1 }], suggestions: [] },
    ],
    services: [{ serviceKey: 'scans', name: 'Scans', units: 9 }],
  });
});

it('still answers, without suggestions, when Get Clients fails, and maps nothing', async () => {
  stack.emulator!.injectFaults({ kind: '500', count: 1, route: 'clients' });
  const { status, body } = await unmapped();
  expect(status).toBe(200);
  const accounts = body.accounts as Array<{ accountId: string; suggestions: string[] }>;
  expect(accounts.map((a) => [a.accountId, a.suggestions])).toEqual([
    ['a2', []],
    ['a3', []],
  ]);
  const mappings = await stack.deps.mappings.listAccounts(PARTNER);
  expect(mappings.find((m) => m.accountId === 'a2')?.isMapped).toBe(false);
});

it('refuses a malformed period and an unknown partner', async () => {
  expect((await unmapped('?period=2026-13')).status).toBe(400);
  const res = await fetch(`${api.url}/v1/partners/nobody/unmapped`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(404);
});
