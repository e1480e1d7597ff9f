// The vendor's events on the local stack's in-process bus, against the samples of docs/events.md: a partner whose
// key is rejected raises "Partner Status Changed" to auth_failed the same night (listed at GET /__local/events),
// every run raises "Run Finished", a message failing its last receive raises "Run Dead-Lettered", an alert raises
// "Billing Alert Raised"; each event has the fields of its documented sample and passes the adapter's check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { disconnect, saveConnection } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { EVENT_DETAIL_TYPES, type EventDetailType } from '../../lambdas/core/model';
import { updatePartnerSettings } from '../../lambdas/core/partners';
import { periodEnd, periodOf, previousPeriod, todayUtc } from '../../lambdas/core/period';
import type { AppDeps } from '../../lambdas/core/ports';
import { enqueueRun, syncRequestOf } from '../../lambdas/core/sync/enqueue';
import { eventDetailSchemas } from '../../lambdas/shared/event-schemas';
import { type ApiServer, startApiServer } from '../../local/api-server';
import type { DeliveredEvent } from '../../local/in-process-bus';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { deliver, faultWorker } from '../support/fault-helpers';

const PARTNER = 'msp-events';
const KEY = 'events-partner-key-0123456789abcdef';
const PERIOD = previousPeriod(periodOf(todayUtc(new Date())));

/** The documented samples, by detail type: every ```json block of docs/events.md with a `detail-type`. */
function documentedSamples(): Map<string, { source: string; 'detail-type': string; detail: Record<string, unknown> }> {
  const text = readFileSync(join(__dirname, '../../docs/events.md'), 'utf8');
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] as string));
  return new Map(blocks.filter((b) => typeof b['detail-type'] === 'string').map((b) => [b['detail-type'], b]));
}

let stack: LocalStack;
let server: ApiServer;
let runNumber = 0;

/** Queues the next nightly run of the partner (at `hour`), without running it. */
async function queueNightly(hour = '02'): Promise<string> {
  runNumber++;
  const runId = `20990101T${hour}00${String(runNumber).padStart(2, '0')}Z-n-events`;
  await enqueueRun(stack.deps, {
    runId,
    partnerId: PARTNER,
    period: PERIOD,
    asOf: periodEnd(PERIOD),
    full: false,
    trigger: 'schedule',
    queuedAt: new Date(),
  });
  return runId;
}

async function nightly(worker = stack.worker): Promise<string> {
  const runId = await queueNightly();
  await stack.queue.drain(worker);
  return runId;
}

async function listed(): Promise<DeliveredEvent[]> {
  const res = await fetch(`${server.url}/__local/events`, { signal: AbortSignal.timeout(5_000) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: DeliveredEvent[] }).events;
}

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false }, queue: { visibilityTimeoutMs: 10 } });
  server = await startApiServer({ port: 0, host: '127.0.0.1', handler: stack.api, events: stack.events });
  await upsertService(stack.deps, 'scans', {
    name: 'Scans',
    description: 'Scans',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'sum',
  });
  await upsertAccount(stack.deps, PARTNER, 'known', { name: 'Known Co' });
  await upsertAccount(stack.deps, PARTNER, 'stray', { name: 'Stray Co' });
  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'Eventful MSP',
    psaCompanies: ['Known Co'],
    psaProducts: ['Scans'],
  });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: KEY });
  await updatePartnerSettings(stack.deps, PARTNER, { alerts: { enabled: true } });
  await ingestUsage(stack.deps, PARTNER, [
    { accountId: 'known', serviceKey: 'scans', date: `${PERIOD}-03`, quantity: 4 },
    { accountId: 'stray', serviceKey: 'scans', date: `${PERIOD}-03`, quantity: 2 },
  ]);
});
afterAll(async () => {
  await server?.close();
  await stack?.close();
});

describe('the documented samples', () => {
  it('document every detail type once, each passing the schema every event is checked with', () => {
    const samples = documentedSamples();
    expect([...samples.keys()].sort()).toEqual([...EVENT_DETAIL_TYPES].sort());
    for (const [type, sample] of samples) {
      expect(sample.source).toBe('gradient-billing-sync');
      const parsed = eventDetailSchemas[type as EventDetailType].safeParse(sample.detail);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });
});

describe('events on the local bus', () => {
  it('raises Partner Status Changed on save, Run Finished and Billing Alert Raised on a night', async () => {
    const runId = await nightly();
    const events = await listed();
    const types = events.map((e) => e['detail-type']);
    expect(types).toContain('Partner Status Changed');
    expect(events.find((e) => e['detail-type'] === 'Run Finished')?.detail).toMatchObject({
      partnerId: PARTNER,
      runId,
      status: 'succeeded',
      trigger: 'schedule',
    });
    expect(events.find((e) => e['detail-type'] === 'Billing Alert Raised')?.detail).toMatchObject({
      partnerId: PARTNER,
      kind: 'unmapped_account',
      subject: 'stray',
      status: 'sent',
    });
    // A first accepted count makes the pending partner connected.
    expect(
      events.filter((e) => e['detail-type'] === 'Partner Status Changed').map((e) => (e.detail as { to: string }).to),
    ).toEqual(['pending', 'connected']);
  });

  it('raises auth_failed the same night Gradient rejects the key, and no alert for it', async () => {
    const before = (await listed()).length;
    const alertsBefore = stack.emulator!.alerts().length;
    stack.emulator!.revokeKey(KEY);
    const runId = await nightly();
    expect(stack.emulator!.alerts()).toHaveLength(alertsBefore);
    const tonight = (await listed()).slice(before);
    expect(tonight.map((e) => e['detail-type'])).toEqual(['Partner Status Changed', 'Run Finished']);
    expect(tonight[0]?.detail).toMatchObject({ partnerId: PARTNER, from: 'connected', to: 'auth_failed' });
    expect(tonight[1]?.detail).toMatchObject({ runId, status: 'failed', error: { code: 'auth_failed' } });
  });

  it('raises Run Dead-Lettered when a message fails its last receive', async () => {
    const broken: AppDeps = {
      ...stack.deps,
      partners: { ...stack.deps.partners, get: async () => Promise.reject(new Error('DynamoDB is down')) },
    };
    const worker = faultWorker(stack, { maxReceiveCount: 1 }, broken);
    const runId = await queueNightly('03');
    const run = await stack.deps.runs.get(PARTNER, runId);
    const before = (await listed()).length;
    await deliver(worker, syncRequestOf(run!), 'dead-1');
    const [dead] = (await listed()).slice(before);
    expect(dead?.['detail-type']).toBe('Run Dead-Lettered');
    expect(dead?.detail).toMatchObject({
      partnerId: PARTNER,
      runId,
      receiveCount: 1,
      reason: expect.stringContaining('DynamoDB is down'),
    });
  });

  it('raises disconnected when the MSP disconnects', async () => {
    const before = (await listed()).length;
    await disconnect(stack.deps, PARTNER);
    const [changed, ...rest] = (await listed()).slice(before);
    expect(rest).toEqual([]);
    expect(changed?.detail).toMatchObject({ partnerId: PARTNER, from: 'auth_failed', to: 'disconnected' });
  });

  it('gives every event it raised exactly the fields of its documented sample, optional ones aside', async () => {
    const samples = documentedSamples();
    const events = await listed();
    expect(new Set(events.map((e) => e['detail-type']))).toEqual(new Set(EVENT_DETAIL_TYPES));
    for (const event of events) {
      const sample = samples.get(event['detail-type'])!;
      expect(event.source).toBe(sample.source);
      expect(Object.keys(event.detail).filter((k) => !(k in sample.detail))).toEqual([]);
      const parsed = eventDetailSchemas[event['detail-type'] as EventDetailType].safeParse(event.detail);
      expect(parsed.success).toBe(true);
    }
  });
});
