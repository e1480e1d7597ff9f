// Don't knock on a closed door, on the local stack with the real worker, adapters and the Gradient
// emulator: a line of a mapped account whose service the MSP has not mapped is refused with 404 once, is not sent
// again while nothing changed (still reported not_mapped), and is sent and accepted once the MSP maps the service
// and presses Sync mappings.
import { saveConnection, syncMappings } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import type { Run, SyncRequest } from '../../lambdas/core/model';
import { addDays } from '../../lambdas/core/period';
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import { isVerificationNight } from '../../lambdas/core/sync/verification';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { shiftedClock } from '../support/shifted-clock';

const PARTNER = 'msp-refused';
const KEY = 'refused-partner-key-0123456789';
const COUNT_ROUTE = '/api/vendor-api/service/:serviceId/count';

let stack: LocalStack;
let seq = 0;

async function night(asOf: string): Promise<Run> {
  const request: SyncRequest = {
    runId: `r-${++seq}-${asOf}`,
    partnerId: PARTNER,
    period: asOf.slice(0, 7),
    asOf,
    full: false,
    trigger: 'resync',
  };
  // The run happens the night after its as-of day, whatever day the test runs on.
  stack.deps.clock = shiftedClock(addDays(asOf, 1));
  await enqueueRun(stack.deps, { ...request, queuedAt: stack.deps.clock.now() });
  await stack.queue.drain(stack.worker);
  const done = await stack.deps.runs.get(PARTNER, request.runId);
  if (!done) throw new Error(`no run ${request.runId}`);
  return done;
}

const countRequests = () => stack.emulator!.requestLog().filter((e) => e.route === COUNT_ROUTE);
const receiptOf = async (run: Run, serviceKey: string) =>
  (await stack.deps.runs.listReceipts(PARTNER, run.runId)).find((r) => r.serviceKey === serviceKey);

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  // Connected the day the nights below begin, so each step's date is in order whatever day the test runs on.
  stack.deps.clock = shiftedClock('2026-11-10');
  const service = (name: string) => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    aggregation: 'last' as const,
  });
  await upsertService(stack.deps, 'seats', service('Seats'));
  await upsertService(stack.deps, 'vault', service('Vault add-on'));
  await upsertAccount(stack.deps, PARTNER, 'oak', { name: 'Oak Dental' });
  await ingestUsage(stack.deps, PARTNER, [
    { accountId: 'oak', serviceKey: 'seats', date: '2026-11-01', quantity: 12 },
    { accountId: 'oak', serviceKey: 'vault', date: '2026-11-01', quantity: 4 },
  ]);
  // The PSA knows the company and the seats product, not the add-on: its service stays unmapped.
  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Refused MSP',
    psaCompanies: ['Oak Dental'],
    psaProducts: ['Seats'],
  });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: KEY });
});
afterAll(async () => {
  await stack?.close();
});

it('does not resend a refused line until the MSP maps its service and syncs mappings, and reports it each night', async () => {
  // Nights on which the add-on line is not due for verification (its retry schedule).
  const line = { partnerId: PARTNER, accountId: 'oak', serviceKey: 'vault' };
  const quiet = (d: string) => !isVerificationNight(line, `${addDays(d, 1)}T02:00:00.000Z`);
  let day = '2026-11-10';
  const nextQuiet = () => {
    do day = addDays(day, 1);
    while (!quiet(day));
    return day;
  };

  const first = await night(nextQuiet());
  expect(first.summary).toMatchObject({ lines: 2, sent: 2, accepted: 1, notMapped: 1 });
  expect(await receiptOf(first, 'vault')).toMatchObject({ outcome: 'not_mapped', httpStatus: 404, attempts: 1 });

  const before = countRequests().length;
  const second = await night(nextQuiet());
  expect(countRequests().length).toBe(before);
  expect(second.summary).toMatchObject({ lines: 2, sent: 0, unchanged: 1, notMapped: 1 });
  const held = await receiptOf(second, 'vault');
  expect(held).toMatchObject({ outcome: 'not_mapped', attempts: 0, computed: 4, pushed: 4 });
  expect(held?.detail).toMatch(/^refused by Gradient on \d{4}-\d{2}-\d{2}; not re-sent until the mapping changes$/);

  // The MSP maps the add-on in Synthesize and presses Sync mappings.
  const vaultId = (await stack.deps.catalog.get('vault'))!.gradientServiceId!;
  const mapped = await fetch(`${stack.emulator!.url}/__emulator/map-service`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partnerApiKey: KEY, serviceId: vaultId }),
  });
  expect(mapped.ok).toBe(true);
  await syncMappings(stack.deps, PARTNER);

  const third = await night(nextQuiet());
  expect(third.summary).toMatchObject({ lines: 2, sent: 1, accepted: 1, unchanged: 1, notMapped: 0 });
  expect(await receiptOf(third, 'vault')).toMatchObject({ outcome: 'accepted', httpStatus: 201 });
  expect(stack.emulator!.currentCounts().find((c) => c.serviceId === vaultId)?.unitCount).toBe(4);
  expect(await stack.deps.held.listRefusals(PARTNER)).toEqual([]);
});
