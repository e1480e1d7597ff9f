// Month-end reconciliation on the local stack, through the real API handler over HTTP and the real
// worker: a closed period's statement against numbers worked out here, its CSV read back, a backdated correction
// explained on the next run's receipt and shown as one adjustment of the closed statement.
import { saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import type { SyncRequest } from '../../lambdas/core/model';
import { periodEnd, previousPeriod, todayUtc } from '../../lambdas/core/period';
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { parseCsv } from '../support/csv-parse';
import { startStackApi } from '../support/stack-api';

const PARTNER = 'msp-recon';
const PERIOD = previousPeriod(todayUtc(new Date()).slice(0, 7));
const LAST = periodEnd(PERIOD);
const DAYS = Number(LAST.slice(8));
const day = (d: number) => `${PERIOD}-${String(d).padStart(2, '0')}`;

let stack: LocalStack;
let api: ApiServer;
let seq = 0;

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition'),
    text: await res.text(),
  };
}
async function runAsOfLastDay() {
  const request: SyncRequest = {
    runId: `20990101T00000${++seq}Z-r-recon`,
    partnerId: PARTNER,
    period: PERIOD,
    asOf: LAST,
    full: false,
    trigger: 'resync',
  };
  await enqueueRun(stack.deps, { ...request, queuedAt: new Date() });
  await stack.queue.drain(stack.worker);
  return request.runId;
}
const snap = (accountId: string, serviceKey: string, d: number, quantity: number) => ({
  accountId,
  serviceKey,
  date: day(d),
  quantity,
});

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  api = await startStackApi(stack, 'recon');
  const service = (name: string, aggregation: 'average' | 'peak') => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    aggregation,
  });
  await upsertService(stack.deps, 'seats', service('Seats', 'average'));
  await upsertService(stack.deps, 'peak', service('Peak seats', 'peak'));
  await upsertAccount(stack.deps, PARTNER, 'a1', { name: 'Alpha Dental, Inc.' });
  await upsertAccount(stack.deps, PARTNER, 'a2', { name: 'Beta Legal' });
  stack.emulator!.addPartner({
    partnerApiKey: 'recon-partner-key-0123456789',
    organizationName: 'Recon MSP',
    psaCompanies: ['Alpha Dental, Inc.'],
    psaProducts: ['Seats', 'Peak seats'],
  });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: 'recon-partner-key-0123456789', roundingPolicy: 'up' });
  await ingestUsage(stack.deps, PARTNER, [
    snap('a1', 'seats', 1, 10),
    snap('a1', 'seats', 11, 13),
    snap('a1', 'peak', 1, 5),
    snap('a1', 'peak', 3, 9),
    snap('a2', 'seats', 1, 4),
    snap('a2', 'seats', 2, 5),
  ]);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
// Worked by hand: a1 has 10 seats on days 1–10 and 13 from the 11th; a2 4 on day 1, then 5.
const a1Seats = r4((10 * 10 + 13 * (DAYS - 10)) / DAYS);
const a2Seats = r4((4 + 5 * (DAYS - 1)) / DAYS);

describe('the statement of a closed period', () => {
  let statement: {
    closed: boolean;
    asOf: string;
    lines: Array<Record<string, unknown>>;
    services: Array<Record<string, unknown>>;
    adjustments: unknown[];
  };

  beforeAll(async () => {
    await runAsOfLastDay();
    const res = await get(`/v1/partners/${PARTNER}/statements/${PERIOD}`);
    expect(res.status).toBe(200);
    statement = JSON.parse(res.text);
  });

  it('shows each line computed, pushed up, its rounding delta, what Gradient holds and whether it is mapped', () => {
    expect(statement).toMatchObject({ closed: true, asOf: LAST, roundingPolicy: 'up', adjustments: [] });
    const byLine = Object.fromEntries(statement.lines.map((l) => [`${l.accountId}/${l.serviceKey}`, l]));
    expect(byLine['a1/seats']).toMatchObject({
      accountName: 'Alpha Dental, Inc.',
      serviceName: 'Seats',
      computed: a1Seats,
      pushed: Math.ceil(a1Seats),
      roundingDelta: r4(Math.ceil(a1Seats) - a1Seats),
      held: Math.ceil(a1Seats),
      mapped: true,
      outcome: 'accepted',
      reason: 'new_line',
    });
    expect(byLine['a1/peak']).toMatchObject({ computed: 9, pushed: 9, roundingDelta: 0, held: 9, mapped: true });
    expect(byLine['a2/seats']).toMatchObject({
      computed: a2Seats,
      pushed: Math.ceil(a2Seats),
      held: null,
      heldAt: null,
      mapped: false,
      outcome: 'not_mapped',
    });
  });

  it('sums each service: the rounding ledger and the units that reach no invoice', () => {
    expect(statement.services).toEqual([
      {
        serviceKey: 'peak',
        serviceName: 'Peak seats',
        lines: 1,
        computed: 9,
        pushed: 9,
        roundingDelta: 0,
        notMappedLines: 0,
        notMappedUnits: 0,
      },
      {
        serviceKey: 'seats',
        serviceName: 'Seats',
        lines: 2,
        computed: r4(a1Seats + a2Seats),
        pushed: Math.ceil(a1Seats) + Math.ceil(a2Seats),
        roundingDelta: r4(Math.ceil(a1Seats) - a1Seats + Math.ceil(a2Seats) - a2Seats),
        notMappedLines: 1,
        notMappedUnits: a2Seats,
      },
    ]);
  });

  it('answers the same lines as CSV, by Accept or ?format=csv', async () => {
    for (const res of [
      await get(`/v1/partners/${PARTNER}/statements/${PERIOD}`, { accept: 'text/csv' }),
      await get(`/v1/partners/${PARTNER}/statements/${PERIOD}?format=csv`),
    ]) {
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/csv/);
      expect(res.disposition).toBe(`attachment; filename="${PARTNER}-${PERIOD}.csv"`);
      const [header, ...rows] = parseCsv(res.text);
      expect(header).toEqual(Object.keys(statement.lines[0] as object));
      const parsed = rows.map((r) => Object.fromEntries((header as string[]).map((h, i) => [h, r[i]])));
      expect(parsed.map((p) => [p.accountName, Number(p.computed), Number(p.pushed), Number(p.roundingDelta)])).toEqual(
        statement.lines.map((l) => [l.accountName, l.computed, l.pushed, l.roundingDelta]),
      );
    }
  });

  it('keeps the closing values after a backdated correction and shows it as one adjustment', async () => {
    // a1 had 15 seats, not 13, from the 11th: reported late.
    await ingestUsage(stack.deps, PARTNER, [snap('a1', 'seats', 11, 15)]);
    const corrected = r4((10 * 10 + 15 * (DAYS - 10)) / DAYS);
    const runId = await runAsOfLastDay();

    const res = JSON.parse((await get(`/v1/partners/${PARTNER}/statements/${PERIOD}`)).text);
    expect(res.closed).toBe(true);
    expect(
      res.lines.find(
        (l: { accountId: string; serviceKey: string }) => l.serviceKey === 'seats' && l.accountId === 'a1',
      ),
    ).toMatchObject({ computed: a1Seats, pushed: Math.ceil(a1Seats) });
    expect(res.adjustments).toEqual([
      { accountId: 'a1', serviceKey: 'seats', closedValue: a1Seats, currentValue: corrected, at: expect.any(String) },
    ]);
    // Read again: the same adjustment, first seen at the same moment.
    const again = JSON.parse((await get(`/v1/partners/${PARTNER}/statements/${PERIOD}`)).text);
    expect(again.adjustments).toEqual(res.adjustments);

    // The run's receipt explains the delta: the 11th onward changed, on or before the held push's as-of.
    const run = JSON.parse((await get(`/v1/partners/${PARTNER}/runs/${runId}`)).text);
    const line = run.lines.find(
      (l: { accountId: string; serviceKey: string }) => l.accountId === 'a1' && l.serviceKey === 'seats',
    );
    expect(line).toMatchObject({ previous: Math.ceil(a1Seats), pushed: Math.ceil(corrected) });
    expect(line.reason).toBe('backdated_correction');
    expect(line.changes).toEqual(
      Array.from({ length: DAYS - 10 }, (_, i) => ({ date: day(11 + i), from: 13, to: 15 })),
    );
  });

  it('writes names that would run as formulas as text in the CSV, and the JSON unchanged', async () => {
    const hostile = '=HYPERLINK("http://evil.example","Open")';
    await upsertAccount(stack.deps, PARTNER, 'a2', { name: hostile });
    const csv = await get(`/v1/partners/${PARTNER}/statements/${PERIOD}?format=csv`);
    const [header, ...rows] = parseCsv(csv.text);
    const names = rows.map((r) => r[(header as string[]).indexOf('accountName')]);
    expect(names).toContain(`'${hostile}`);
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-\d/.test(cell))).toEqual([]);
    const json = JSON.parse((await get(`/v1/partners/${PARTNER}/statements/${PERIOD}`)).text);
    expect(json.lines.map((l: { accountName: string }) => l.accountName)).toContain(hostile);
  });

  it('refuses a period not started yet and a malformed one (400), an unknown partner (404)', async () => {
    expect((await get(`/v1/partners/${PARTNER}/statements/2999-01`)).status).toBe(400);
    expect((await get(`/v1/partners/${PARTNER}/statements/2026-13`)).status).toBe(400);
    expect((await get(`/v1/partners/nobody/statements/${PERIOD}`)).status).toBe(404);
  });
});
