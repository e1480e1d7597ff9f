// What an MSP sees around month end, on the local stack with the real planner, worker, adapters and the Gradient
// emulator: a projected average stays put while usage does (a to_date one moves every night), and a partner whose
// close day is the 3rd keeps the closed month's final values in Gradient until that day, then gets the new month.
// Values are worked by hand here; September 2026 has 30 days.
import { saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import type { Run } from '../../lambdas/core/model';
import { updatePartnerSettings } from '../../lambdas/core/partners';
import { isVerificationNight } from '../../lambdas/core/sync/verification';
import { type LocalStack, startLocalStack } from '../../local/stack';

const PARTNER = 'msp-month-end';
const KEY = 'month-end-partner-key-0123456789';

let stack: LocalStack;
let org: string;

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  const { deps } = stack;
  const service = (name: string, over: { aggregation: 'average' | 'sum'; averageBasis?: 'to_date' }) => ({
    name,
    description: name,
    category: 'security',
    subcategory: 'password management',
    ...over,
  });
  // `seats` names no basis: a new average service is projected.
  await upsertService(deps, 'seats', service('Seats', { aggregation: 'average' }));
  await upsertService(deps, 'seats-td', service('Seats to date', { aggregation: 'average', averageBasis: 'to_date' }));
  await upsertService(deps, 'scans', service('Scans', { aggregation: 'sum' }));
  await upsertAccount(deps, PARTNER, 'c1', { name: 'Elm Dental' });
  const s = (serviceKey: string, date: string, quantity: number) => ({ accountId: 'c1', serviceKey, date, quantity });
  await ingestUsage(deps, PARTNER, [
    // 10 seats from 1 September, 20 from the 16th (and on into October)
    ...['seats', 'seats-td'].flatMap((k) => [s(k, '2026-09-01', 10), s(k, '2026-09-16', 20)]),
    s('scans', '2026-09-10', 5),
    s('scans', '2026-09-20', 5),
    s('scans', '2026-10-01', 3),
    s('scans', '2026-10-03', 4),
  ]);
  org = stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Month End MSP',
    psaCompanies: ['Elm Dental'],
    psaProducts: ['Seats', 'Seats to date', 'Scans'],
  });
  await saveConnection(deps, PARTNER, { partnerApiKey: KEY });
  await updatePartnerSettings(deps, PARTNER, { closeDay: 3 });
});
afterAll(async () => {
  await stack?.close();
});

/** The nightly at 02:00 UTC on `day`: the planner, then the worker draining the queue. */
async function night(day: string): Promise<{ run: Run; closedPeriod: number; sent: Record<string, string> }> {
  const plan = await stack.planner(new Date(`${day}T02:00:00.000Z`));
  await stack.queue.drain(stack.worker);
  const run = (await stack.deps.runs.get(PARTNER, plan.runId))!;
  const receipts = await stack.deps.runs.listReceipts(PARTNER, plan.runId);
  // Which lines went to Gradient tonight for a reason other than their verification night.
  const sent = Object.fromEntries(
    receipts.map((r) => {
      const quiet = r.outcome === 'unchanged' || r.detail === 'verification';
      const due = isVerificationNight({ partnerId: PARTNER, ...r }, r.at);
      if (r.detail === 'verification') expect(due).toBe(true);
      return [r.serviceKey, quiet ? 'quiet' : `sent ${r.pushed}`];
    }),
  );
  return { run, closedPeriod: plan.closedPeriod, sent };
}

async function holds(): Promise<Record<string, number>> {
  const keyOf = new Map((await stack.deps.catalog.list()).map((c) => [c.gradientServiceId, c.serviceKey]));
  return Object.fromEntries(
    stack
      .emulator!.currentCounts()
      .filter((c) => c.organizationId === org)
      .map((c) => [keyOf.get(c.serviceId)!, c.unitCount]),
  );
}

describe('around month end', () => {
  it('sends a projected average only when usage moves, and keeps the closed month until the close day', async () => {
    // As of 16 September: projected (15 × 10 + 15 × 20) / 30 = 15; to_date (15 × 10 + 20) / 16 = 10.625
    const first = await night('2026-09-17');
    expect(first.run).toMatchObject({ status: 'succeeded', period: '2026-09', asOf: '2026-09-16' });
    expect(await holds()).toEqual({ seats: 15, 'seats-td': 10.625, scans: 5 });

    // As of the 17th nothing moved: projected stays 15; to_date is (150 + 40) / 17 = 11.1765
    const second = await night('2026-09-18');
    expect(second.sent).toEqual({ seats: 'quiet', 'seats-td': 'sent 11.1765', scans: 'quiet' });

    // The night of 1 October closes September as of the 30th: both averages are 450 / 30 = 15, scans 10.
    const closing = await night('2026-10-01');
    expect(closing.run).toMatchObject({ period: '2026-09', asOf: '2026-09-30' });
    expect(closing.sent).toEqual({ seats: 'quiet', 'seats-td': 'sent 15', scans: 'sent 10' });
    expect(await holds()).toEqual({ seats: 15, 'seats-td': 15, scans: 10 });

    // Close day 3: as of 1 and 2 October the nightly still computes September as of its last day.
    for (const day of ['2026-10-02', '2026-10-03']) {
      const held = await night(day);
      expect(held.closedPeriod).toBe(1);
      expect(held.run).toMatchObject({ status: 'succeeded', period: '2026-09', asOf: '2026-09-30' });
      expect(held.sent).toEqual({ seats: 'quiet', 'seats-td': 'quiet', scans: 'quiet' });
      expect(await holds()).toEqual({ seats: 15, 'seats-td': 15, scans: 10 });
    }

    // As of the 3rd, October: 20 seats carried in all month on either basis; scans 3 + 4 = 7.
    const october = await night('2026-10-04');
    expect(october.closedPeriod).toBe(0);
    expect(october.run).toMatchObject({ status: 'succeeded', period: '2026-10', asOf: '2026-10-03' });
    expect(october.sent).toEqual({ seats: 'sent 20', 'seats-td': 'sent 20', scans: 'sent 7' });
    expect(await holds()).toEqual({ seats: 20, 'seats-td': 20, scans: 7 });
  });
});
