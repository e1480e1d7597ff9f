// Fault tests of the billing-health alerts on the local stack: Gradient refusing alerts (no Alerts module), the
// alerting route failing, a dropped connection, and a delivery that dies mid-alerts and is redelivered. The run is
// never failed by an alert, and no alert ever becomes a second ticket.
import { saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { updatePartnerSettings } from '../../lambdas/core/partners';
import { dayOfMonth, periodEnd, periodOf, previousPeriod, todayUtc } from '../../lambdas/core/period';
import type { AppDeps } from '../../lambdas/core/ports';
import { enqueueRun, syncRequestOf } from '../../lambdas/core/sync/enqueue';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { faultWorker } from '../support/fault-helpers';

const TODAY = todayUtc(new Date());
const PERIOD = previousPeriod(periodOf(TODAY));
const CLOSE_DAY = Math.min(dayOfMonth(TODAY), 28);
const ALERT_ROUTE = '/api/vendor-api/alerting/:accountId';

let stack: LocalStack;
let runNumber = 0;

/** A partner with alerts on and `unmapped` companies with usage that Gradient cannot map. */
async function partnerWith(partnerId: string, unmapped: string[]): Promise<void> {
  const key = `${partnerId}-key-0123456789abcdef`;
  for (const accountId of unmapped) await upsertAccount(stack.deps, partnerId, accountId, { name: `${accountId} Co` });
  stack.emulator!.addPartner({
    partnerApiKey: key,
    organizationName: partnerId,
    psaCompanies: [],
    psaProducts: ['Scans'],
  });
  await saveConnection(stack.deps, partnerId, { partnerApiKey: key });
  await updatePartnerSettings(stack.deps, partnerId, { closeDay: CLOSE_DAY, alerts: { enabled: true } });
  await ingestUsage(
    stack.deps,
    partnerId,
    unmapped.map((accountId) => ({ accountId, serviceKey: 'scans', date: `${PERIOD}-04`, quantity: 3 })),
  );
}

async function nightly(partnerId: string, worker = stack.worker): Promise<string> {
  runNumber++;
  const runId = `20990101T0100${String(runNumber).padStart(2, '0')}Z-n-${partnerId}`;
  await enqueueRun(stack.deps, {
    runId,
    partnerId,
    period: PERIOD,
    asOf: periodEnd(PERIOD),
    full: false,
    trigger: 'schedule',
    queuedAt: new Date(),
  });
  await stack.queue.drain(worker);
  expect((await stack.deps.runs.get(partnerId, runId))?.status).toBe('succeeded');
  return runId;
}

const ticketsOf = (partnerId: string) =>
  stack.emulator!.alerts().filter((a) => a.alertId.startsWith(`gbs:${partnerId}:`));
const alertPosts = () => stack.emulator!.requestLog().filter((e) => e.route === ALERT_ROUTE && e.method === 'POST');

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  await upsertService(stack.deps, 'scans', {
    name: 'Scans',
    description: 'Scans',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'sum',
  });
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.emulator!.clearFaults();
  stack.emulator!.setAlertsModule(true);
});

describe('alerts when Gradient or the worker fails', () => {
  it('records a refusal once when the Alerts module is off, and tries no more that period', async () => {
    await partnerWith('fa-off', ['a1', 'a2']);
    stack.emulator!.setAlertsModule(false);
    const posts = alertPosts().length;
    const runId = await nightly('fa-off');
    expect(alertPosts().length - posts).toBe(1);
    const stored = await stack.deps.alerts.list('fa-off', PERIOD);
    expect(stored.refusal).toMatchObject({ runId, reason: expect.stringContaining('Alerting module is not enabled') });
    expect(stored.alerts).toEqual([expect.objectContaining({ status: 'failed' })]);

    stack.emulator!.setAlertsModule(true);
    await nightly('fa-off');
    expect(alertPosts().length - posts).toBe(1);
    expect(ticketsOf('fa-off')).toEqual([]);
    expect((await stack.deps.alerts.list('fa-off', PERIOD)).refusal?.runId).toBe(runId);
  });

  it('tries an alert again on the next night after the route answered 500, and opens one ticket', async () => {
    await partnerWith('fa-500', ['b1']);
    stack.emulator!.injectFaults({ kind: '500', count: 1, route: 'alerting' });
    await nightly('fa-500');
    const [failed] = (await stack.deps.alerts.list('fa-500', PERIOD)).alerts;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, detail: expect.stringContaining('500') });
    expect(ticketsOf('fa-500')).toEqual([]);

    await nightly('fa-500');
    await nightly('fa-500');
    expect(ticketsOf('fa-500')).toHaveLength(1);
    const [sent] = (await stack.deps.alerts.list('fa-500', PERIOD)).alerts;
    expect(sent).toMatchObject({ status: 'ticketed', attempts: 2 });
  });

  it('never sends again an alert whose post got no answer (it may be a ticket already)', async () => {
    await partnerWith('fa-reset', ['c1']);
    stack.emulator!.injectFaults({ kind: 'reset', count: 1, route: 'alerting' });
    await nightly('fa-reset');
    await nightly('fa-reset');
    const [alert] = (await stack.deps.alerts.list('fa-reset', PERIOD)).alerts;
    expect(alert).toMatchObject({ status: 'uncertain', attempts: 1 });
    expect(ticketsOf('fa-reset')).toEqual([]);
  });

  it('finishes the alerts on redelivery after the worker died mid-alerts, one ticket per account', async () => {
    await partnerWith('fa-crash', ['d1', 'd2']);
    let updates = 0;
    const dying: AppDeps = {
      ...stack.deps,
      alerts: {
        ...stack.deps.alerts,
        list: (...args) => stack.deps.alerts.list(...args),
        claim: (alert) => stack.deps.alerts.claim(alert),
        refuse: (refusal) => stack.deps.alerts.refuse(refusal),
        // The first answer Gradient gave is never recorded: the process "dies" right after the first post.
        update: async (...args) => {
          updates++;
          if (updates === 1) throw new Error('worker died');
          return stack.deps.alerts.update(...args);
        },
      },
    };
    const runId = await nightly('fa-crash', faultWorker(stack, {}, dying));
    expect(ticketsOf('fa-crash')).toHaveLength(1);

    // The same message comes again (its run is finished): the alerts go on where they stopped.
    const run = await stack.deps.runs.get('fa-crash', runId);
    await stack.queue.send(syncRequestOf(run!));
    await stack.queue.drain(stack.worker);
    const tickets = ticketsOf('fa-crash');
    expect(tickets.map((a) => a.accountId).sort()).toEqual(['d1', 'd2']);
    const stored = (await stack.deps.alerts.list('fa-crash', PERIOD)).alerts;
    expect(stored.map((a) => [a.subject, a.status]).sort()).toEqual([
      ['d1', 'sending'],
      ['d2', 'ticketed'],
    ]);
    expect(stack.queue.deadLetters).toHaveLength(0);
  });
});
