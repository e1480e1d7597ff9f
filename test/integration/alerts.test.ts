// Billing-health alerts through the local stack: the settings PATCH over HTTP, nightly runs of the real worker
// against the Gradient emulator's alerting routes, the alerts list route. However often the run repeats or is
// redelivered, an unmapped company with usage opens exactly one ticket a period; mapping it stops them.
import { saveConnection, syncMappings } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { dayOfMonth, periodEnd, periodOf, previousPeriod, todayUtc } from '../../lambdas/core/period';
import { enqueueRun, syncRequestOf } from '../../lambdas/core/sync/enqueue';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startStackApi } from '../support/stack-api';

const PARTNER = 'msp-alerts';
const KEY = 'alerts-partner-key-0123456789abcdef';
const TODAY = todayUtc(new Date());
const CURRENT = periodOf(TODAY);
const PERIOD = previousPeriod(CURRENT);
// The close day is today (or the 28th): no close-day reminder tonight, whichever day the suite runs.
const CLOSE_DAY = Math.min(dayOfMonth(TODAY), 28);

let stack: LocalStack;
let api: ApiServer;
let runNumber = 0;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the API's JSON answers
  return { status: res.status, body: (await res.json()) as any };
}

/** One nightly run of the partner for `period` (a new run id each time), delivered by the real worker. */
async function nightly(period = PERIOD): Promise<string> {
  runNumber++;
  const runId = `20990101T0000${String(runNumber).padStart(2, '0')}Z-n-alerts`;
  await enqueueRun(stack.deps, {
    runId,
    partnerId: PARTNER,
    period,
    asOf: period === CURRENT ? TODAY : periodEnd(period),
    full: false,
    trigger: 'schedule',
    queuedAt: new Date(),
  });
  await stack.queue.drain(stack.worker);
  return runId;
}

const ticketsFor = (subject: string) =>
  stack.emulator!.alerts().filter((a) => a.alertId.endsWith(`:${subject}`) || a.accountId === subject);

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  api = await startStackApi(stack, 'alerts');
  const service = (name: string) => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    aggregation: 'sum' as const,
  });
  await upsertService(stack.deps, 'scans', service('Scans'));
  await upsertService(stack.deps, 'audits', service('Audits'));
  await upsertAccount(stack.deps, PARTNER, 'mapped', { name: 'Mapped Dental' });
  await upsertAccount(stack.deps, PARTNER, 'lost', { name: 'Lost Legal LLC' });
  await upsertAccount(stack.deps, PARTNER, 'idle', { name: 'Idle Farms' });
  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Alerting MSP',
    psaCompanies: ['Mapped Dental', 'LOST LEGAL'],
    // No PSA product for Audits: Gradient refuses its counts on the mapped account.
    psaProducts: ['Scans'],
  });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: KEY });
  const snap = (accountId: string, serviceKey: string, date: string, quantity: number) => ({
    accountId,
    serviceKey,
    date,
    quantity,
  });
  await ingestUsage(stack.deps, PARTNER, [
    snap('mapped', 'scans', `${PERIOD}-02`, 5),
    snap('mapped', 'audits', `${PERIOD}-02`, 2),
    snap('lost', 'scans', `${PERIOD}-03`, 7),
    snap('lost', 'scans', `${CURRENT}-01`, 1),
    snap('idle', 'scans', `${CURRENT}-01`, 3),
  ]);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

describe('billing-health alerts on the local stack', () => {
  it('sends nothing while the MSP has not opted in, and shows the setting off', async () => {
    await nightly();
    expect(stack.emulator!.alerts()).toEqual([]);
    const partner = await call('GET', `/v1/partners/${PARTNER}`);
    expect(partner.body.alerts).toEqual({ enabled: false, priority: 1 });
  });

  it('refuses an invalid alert setting with 400 and changes nothing', async () => {
    for (const alerts of [{ enabled: true, priority: 5 }, { priority: 2 }, { enabled: true, extra: 1 }]) {
      const answer = await call('PATCH', `/v1/partners/${PARTNER}`, { alerts });
      expect(answer.status).toBe(400);
    }
    expect((await stack.deps.partners.get(PARTNER))?.alerts).toBeUndefined();
  });

  it('opens exactly one ticket per unmapped account and refused service, however often the run repeats', async () => {
    const patched = await call('PATCH', `/v1/partners/${PARTNER}`, {
      alerts: { enabled: true, priority: 2 },
      closeDay: CLOSE_DAY,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.alerts).toEqual({ enabled: true, priority: 2 });

    const first = await nightly();
    await nightly();
    await nightly();
    // The same message delivered again once its run finished: nothing more either.
    const again = await stack.deps.runs.get(PARTNER, first);
    await stack.queue.send(syncRequestOf(again!));
    await stack.queue.drain(stack.worker);
    expect(stack.queue.deadLetters).toHaveLength(0);

    const alerts = stack.emulator!.alerts();
    expect(alerts.map((a) => a.alertId).sort()).toEqual([
      `gbs:${PARTNER}:${PERIOD}:refused_service:audits`,
      `gbs:${PARTNER}:${PERIOD}:unmapped_account:lost`,
    ]);
    const listedByEmulator = (await (await fetch(`${stack.gradientUrl}/__emulator/alerts`)).json()) as {
      alerts: Array<Record<string, unknown>>;
    };
    expect(listedByEmulator.alerts).toContainEqual(
      expect.objectContaining({ accountId: 'lost', organizationName: 'Alerting MSP', accountName: 'Lost Legal LLC' }),
    );
    const lost = alerts.find((a) => a.accountId === 'lost');
    expect(lost).toMatchObject({ priority: 2, status: 1 });
    expect(lost?.description).toContain('scans: 7 units');
    expect(lost?.description).toContain('LOST LEGAL');
    const refused = alerts.find((a) => a.alertId.endsWith(':audits'));
    expect(refused).toMatchObject({ accountId: 'mapped', serviceId: expect.any(String) });

    const listed = await call('GET', `/v1/partners/${PARTNER}/alerts?period=${PERIOD}`);
    expect(listed.status).toBe(200);
    expect(listed.body.settings).toEqual({ enabled: true, priority: 2 });
    expect(listed.body.alerts).toHaveLength(2);
    for (const a of listed.body.alerts) {
      expect(a).toMatchObject({ status: 'ticketed', attempts: 1, ticketId: expect.stringMatching(/^T\d+$/) });
    }
    expect(listed.body.refusal).toBeUndefined();
    // An account without usage in the period opens none.
    expect(ticketsFor('idle')).toEqual([]);
  });

  it('stops the tickets of an account once it is mapped and mappings are synced', async () => {
    stack.emulator!.mapAccount(KEY, 'lost');
    await syncMappings(stack.deps, PARTNER);
    const before = stack.emulator!.alerts().length;
    await nightly(CURRENT);
    await nightly(CURRENT);
    const tonight = stack.emulator!.alerts().slice(before);
    // The idle company has usage this month and is still unmapped: its one ticket; none for the mapped one.
    expect(tonight.map((a) => a.alertId)).toEqual([`gbs:${PARTNER}:${CURRENT}:unmapped_account:idle`]);
  });

  it('answers 400 for a malformed period and 404 for an unknown partner', async () => {
    expect((await call('GET', `/v1/partners/${PARTNER}/alerts?period=2026-13`)).status).toBe(400);
    expect((await call('GET', '/v1/partners/nobody-here/alerts')).status).toBe(404);
  });
});
