// Receipts that cost what they say, measured at the adapter on the local stack: a generated partner's
// second night, where every line is unchanged but the verification share, writes a small fraction of a write
// unit per unchanged line, and the run's detail still lists every unchanged line with its values.

import { createRepositories } from '../../lambdas/adapters/dynamo';
import { saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import type { Run, SyncRequest } from '../../lambdas/core/model';
import { getRun } from '../../lambdas/core/read/run-history';
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { meteredDocumentClient } from '../support/write-meter';

const PARTNER = 'msp-quiet';
const KEY = 'quiet-partner-key-0123456789';
const ACCOUNTS = 60;
const SERVICES = ['seats', 'vault', 'sso', 'storage', 'audit'];

let stack: LocalStack;
let meter: ReturnType<typeof meteredDocumentClient>;
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
  await enqueueRun(stack.deps, { ...request, queuedAt: new Date() });
  await stack.queue.drain(stack.worker);
  return (await stack.deps.runs.get(PARTNER, request.runId))!;
}

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  meter = meteredDocumentClient();
  // Every repository of the worker through the metered client.
  Object.assign(stack.deps, createRepositories(meter.doc, stack.env));
  for (const key of SERVICES) {
    await upsertService(stack.deps, key, {
      name: key,
      description: key,
      category: 'security',
      subcategory: 'password management',
      aggregation: 'last',
    });
  }
  const companies: string[] = [];
  const snapshots = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const id = `acct-${String(a).padStart(3, '0')}`;
    companies.push(`Company ${a}`);
    await upsertAccount(stack.deps, PARTNER, id, { name: `Company ${a}` });
    for (const [i, serviceKey] of SERVICES.entries()) {
      snapshots.push({ accountId: id, serviceKey, date: '2026-11-01', quantity: a + i + 0.5 });
    }
  }
  await ingestUsage(stack.deps, PARTNER, snapshots);
  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Quiet MSP',
    psaCompanies: companies,
    psaProducts: SERVICES,
  });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: KEY });
});
afterAll(async () => {
  await stack?.close();
});

it('writes at most 0.05 receipt write units per unchanged line on a quiet night, and lists every line', async () => {
  const first = await night('2026-11-10');
  expect(first.summary).toMatchObject({ lines: ACCOUNTS * SERVICES.length, accepted: ACCOUNTS * SERVICES.length });

  meter.reset();
  const second = await night('2026-11-11');
  const tally = meter.tally();
  const { unchanged, sent } = second.summary;
  expect(unchanged + sent).toBe(ACCOUNTS * SERVICES.length);
  expect(unchanged).toBeGreaterThan(ACCOUNTS * SERVICES.length * 0.8);
  // Receipts of the verification re-sends (one item each) apart, the unchanged lines' receipts.
  const receipts = tally.get(stack.env.TABLE_RECEIPTS) ?? { requests: 0, units: 0 };
  const quietUnits = receipts.units - sent;
  const all = [...tally.values()].reduce((n, t) => n + t.units, 0);
  const figures = {
    lines: ACCOUNTS * SERVICES.length,
    unchanged,
    sent,
    receiptUnits: receipts.units,
    unitsPerUnchangedLine: quietUnits / unchanged,
    allUnits: all,
    byTable: Object.fromEntries([...tally].map(([t, v]) => [t.replace(/^.*-/, ''), v])),
  };
  process.stdout.write(`receipt writes, second night: ${JSON.stringify(figures)}\n`);
  expect(quietUnits / unchanged).toBeLessThanOrEqual(0.05);

  const { receipts: listed } = await getRun(stack.deps, PARTNER, second.runId);
  expect(listed).toHaveLength(ACCOUNTS * SERVICES.length);
  const quiet = listed.filter((r) => r.outcome === 'unchanged');
  expect(quiet).toHaveLength(unchanged);
  expect(quiet[0]).toEqual({
    runId: second.runId,
    accountId: quiet[0]!.accountId,
    serviceKey: quiet[0]!.serviceKey,
    computed: quiet[0]!.pushed,
    pushed: Number(quiet[0]!.accountId.slice(5)) + SERVICES.indexOf(quiet[0]!.serviceKey) + 0.5,
    outcome: 'unchanged',
    // The value Gradient held before the run: the same, since the line did not move.
    previous: quiet[0]!.pushed,
    reason: 'unchanged',
    changes: [],
    attempts: 0,
    at: expect.any(String),
  });
});
