import {
  GradientKeyRejectedError,
  GradientServerError,
  PartnerBusyError,
  RunBusyError,
  RunIncompleteError,
} from '../../../../lambdas/core/errors';
import type { SyncRequest } from '../../../../lambdas/core/model';
import { enqueueRun } from '../../../../lambdas/core/sync/enqueue';
import { partnerLeaseFree } from '../../../../lambdas/core/sync/run-lifecycle';
import { runSync, type SyncOptions } from '../../../../lambdas/core/sync/run-sync';
import { FakeGradient, type MemoryDeps, memoryDeps } from '../../../support/memory-deps';

const KEY = 'partner-key-123';
const request: SyncRequest = {
  runId: '20261126T020000Z-n-nightly',
  partnerId: 'msp-1',
  period: '2026-11',
  asOf: '2026-11-25',
  full: false,
  trigger: 'schedule',
};

const options = (deps: MemoryDeps, extra: Partial<SyncOptions> = {}): SyncOptions => ({
  gate: { acquire: async () => {}, penalize: () => {} },
  deadline: deps.clock.now().getTime() + 60_000,
  leaseMs: 60_000,
  maxInFlight: 4,
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
  random: () => 0.5,
  ...extra,
});

/** Partner msp-1 with 3 accounts (a1, a2 mapped; a3 not) and 2 services (seats mapped, storage not in PSA). */
async function setup() {
  const deps = memoryDeps();
  const g = new FakeGradient();
  deps.gradients.set(KEY, g);
  await deps.keys.put('msp-1', KEY);
  await deps.partners.put({ partnerId: 'msp-1', status: 'pending', roundingPolicy: 'none', updatedAt: '2026-11-01' });
  for (const [serviceKey, aggregation, id] of [
    ['seats', 'average', 'sku-seats'],
    ['storage', 'last', 'sku-storage'],
  ] as const) {
    await deps.catalog.put({
      serviceKey,
      name: serviceKey,
      description: serviceKey,
      category: 'security',
      subcategory: 'password management',
      aggregation,
      gradientServiceId: id,
      updatedAt: '2026-11-01',
    });
  }
  g.mappedServices.add('sku-seats');
  for (const [id, isMapped] of [
    ['a1', true],
    ['a2', true],
    ['a3', false],
  ] as const) {
    g.accounts.set(id, { id, name: `Company ${id}`, isMapped });
    await deps.accounts.put({
      partnerId: 'msp-1',
      accountId: id,
      name: `Company ${id}`,
      active: true,
      updatedAt: '2026-11-01',
    });
  }
  // a1: 10 seats all month; a2: 4 seats from Nov 11 (15 of 25 days) → 2.4; a3: 7 seats; a1 storage 5.
  await deps.usage.putSnapshots([
    { partnerId: 'msp-1', accountId: 'a1', serviceKey: 'seats', date: '2026-10-20', quantity: 10 },
    { partnerId: 'msp-1', accountId: 'a2', serviceKey: 'seats', date: '2026-11-11', quantity: 4 },
    { partnerId: 'msp-1', accountId: 'a3', serviceKey: 'seats', date: '2026-11-01', quantity: 7 },
    { partnerId: 'msp-1', accountId: 'a1', serviceKey: 'storage', date: '2026-11-02', quantity: 5 },
  ]);
  await enqueueRun(deps, { ...request, queuedAt: deps.clock.now() });
  return { deps, g };
}

describe('the sync of one partner', () => {
  it('pushes mapped lines, records unmapped ones without sending, and promotes the partner to connected', async () => {
    const { deps, g } = await setup();
    const result = await runSync(deps, request, options(deps));

    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary).toEqual({ lines: 4, sent: 3, accepted: 2, notMapped: 2, unchanged: 0, failed: 0 });
    expect(g.counts.map((c) => [c.accountId, c.serviceId, c.unitCount]).sort()).toEqual([
      ['a1', 'sku-seats', 10],
      ['a2', 'sku-seats', 2.4],
    ]);
    // a3 is unmapped on Gradient's side: never sent. a1/storage was sent and answered 404 (service unmapped).
    const receipts = await deps.runs.listReceipts('msp-1', request.runId);
    const byLine = Object.fromEntries(receipts.map((r) => [`${r.accountId}/${r.serviceKey}`, r]));
    expect(byLine['a3/seats']).toMatchObject({ outcome: 'not_mapped', attempts: 0 });
    expect(byLine['a1/storage']).toMatchObject({ outcome: 'not_mapped', httpStatus: 404 });
    expect((await deps.partners.get('msp-1'))?.status).toBe('connected');
    expect(deps.state.accountMappings.get('msp-1|a3')?.isMapped).toBe(false);
  });

  it('reads its tables while the account list is in flight, and still computes from the reconciled accounts', async () => {
    const { deps, g } = await setup();
    const events: string[] = [];
    let answerList!: () => void;
    const listed = new Promise<void>((resolve) => {
      answerList = resolve;
    });
    const listAccounts = g.listAccounts.bind(g);
    g.listAccounts = async () => {
      events.push('list asked');
      await listed;
      events.push('list answered');
      return listAccounts();
    };
    const noted =
      <A extends unknown[], R>(name: string, read: (...args: A) => Promise<R>) =>
      (...args: A) => {
        events.push(`${name} read`);
        return read(...args);
      };
    deps.usage.linesForPeriod = noted('usage', deps.usage.linesForPeriod.bind(deps.usage));
    deps.held.list = noted('held values', deps.held.list.bind(deps.held));
    deps.catalog.list = noted('catalog', deps.catalog.list.bind(deps.catalog));
    const run = runSync(deps, request, options(deps));
    // The reads start without waiting for Gradient's answer.
    for (let i = 0; i < 50 && events.length < 4; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(events.slice(0, 4).sort()).toEqual(['catalog read', 'held values read', 'list asked', 'usage read']);
    answerList();
    const result = await run;
    expect(events).toContain('list answered');
    expect(result.run.summary).toEqual({ lines: 4, sent: 3, accepted: 2, notMapped: 2, unchanged: 0, failed: 0 });
  });

  it('ends on a rejected key, not on its reads, when Gradient refuses the account list', async () => {
    const { deps, g } = await setup();
    g.beforeCall = (route) => {
      if (route === 'listAccounts') throw new GradientKeyRejectedError('Invalid API key', 401);
    };
    deps.held.list = async () => {
      throw new Error('a read that fails after the run ended on the key');
    };
    // A read left to fail unawaited would be an unhandled rejection, which ends a Lambda's process.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const result = await runSync(deps, request, options(deps));
      expect(result.run).toMatchObject({ status: 'failed', error: { code: 'auth_failed' } });
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('hands its alert round the partner it finished with, which reads it no more', async () => {
    const { deps, g } = await setup();
    const partner = (await deps.partners.get('msp-1'))!;
    await deps.partners.put({ ...partner, alerts: { enabled: true } });
    const get = deps.partners.get.bind(deps.partners);
    let reads = 0;
    deps.partners.get = async (id) => {
      reads += 1;
      return get(id);
    };
    await runSync(deps, request, options(deps));
    // The run's start and its finish read the partner, and the unmapped list the alerts ask for (a read-side use
    // case) reads it once; the round itself used what the finish wrote.
    expect(reads).toBe(3);
    // And the round ran on it: a3 is unmapped with 7 seats, which the MSP is told about.
    expect(g.alerts.map((a) => a.accountId).length).toBeGreaterThan(0);
  });

  it('creates a company the vendor added since the last save in Gradient, and sends its lines once mapped', async () => {
    const { deps, g } = await setup();
    await deps.accounts.put({
      partnerId: 'msp-1',
      accountId: 'a4',
      name: 'Newco',
      active: true,
      updatedAt: '2026-11-20',
    });
    await deps.usage.putSnapshots([
      { partnerId: 'msp-1', accountId: 'a4', serviceKey: 'seats', date: '2026-11-21', quantity: 5 },
    ]);
    const first = await runSync(deps, request, options(deps));
    expect(g.accounts.get('a4')).toMatchObject({ name: 'Newco', isMapped: false });
    expect((await deps.runs.listReceipts('msp-1', request.runId)).find((r) => r.accountId === 'a4')).toMatchObject({
      outcome: 'not_mapped',
    });
    expect(first.run.summary.lines).toBe(5);

    g.accounts.get('a4')!.isMapped = true; // the MSP maps it in Synthesize
    const next = { ...request, runId: 'r-next' };
    await enqueueRun(deps, { ...next, queuedAt: deps.clock.now() });
    await runSync(deps, next, options(deps));
    // 5 seats from the 21st: 5 of 25 days → 1.
    expect(g.counts.filter((c) => c.accountId === 'a4')).toEqual([expect.objectContaining({ unitCount: 1 })]);
  });

  it('re-sends a line whose account was mapped again, although Gradient held its value', async () => {
    const { deps, g } = await setup();
    await runSync(deps, request, options(deps));
    const a1Seats = () => g.counts.filter((c) => c.accountId === 'a1' && c.serviceId === 'sku-seats').length;
    expect(a1Seats()).toBe(1);

    const again = async (runId: string) => {
      const next = { ...request, runId };
      await enqueueRun(deps, { ...next, queuedAt: deps.clock.now() });
      deps.clock.ms += 60_000;
      return runSync(deps, next, options(deps));
    };
    g.accounts.get('a1')!.isMapped = false; // the MSP unmaps it in Synthesize…
    await again('r-unmapped');
    g.accounts.get('a1')!.isMapped = true; // …and maps it again (perhaps to another PSA company)
    const remapped = await again('r-remapped');
    expect(a1Seats()).toBe(2);
    const receipts = await deps.runs.listReceipts('msp-1', remapped.run.runId);
    expect(receipts.find((r) => r.accountId === 'a1' && r.serviceKey === 'seats')?.outcome).toBe('accepted');
    // Held under the new mapping now: the next run skips it.
    await again('r-after');
    expect(a1Seats()).toBe(2);
  });

  it('bills a company created tonight when Gradient maps it on creation, reading the flags once more', async () => {
    const { deps, g } = await setup();
    const create = g.createAccounts.bind(g);
    g.createAccounts = async (accounts) => {
      await create(accounts);
      for (const a of accounts) g.accounts.get(a.id)!.isMapped = true; // an exact PSA name match
    };
    await deps.accounts.put({ partnerId: 'msp-1', accountId: 'a4', name: 'Newco', active: true, updatedAt: 'x' });
    await deps.usage.putSnapshots([
      { partnerId: 'msp-1', accountId: 'a4', serviceKey: 'seats', date: '2026-11-21', quantity: 5 },
    ]);
    await runSync(deps, request, options(deps));
    expect(g.counts.filter((c) => c.accountId === 'a4')).toEqual([expect.objectContaining({ unitCount: 1 })]);
    expect(g.calls.filter((c) => c === 'listAccounts')).toHaveLength(2);
  });

  it('skips a line whose value did not change since the last accepted push', async () => {
    const { deps, g } = await setup();
    await runSync(deps, request, options(deps));
    const sentBefore = g.counts.length;
    const second = { ...request, runId: '20261127T020000Z-n-nightly', asOf: '2026-11-25' };
    await enqueueRun(deps, { ...second, queuedAt: deps.clock.now() });
    const result = await runSync(deps, second, options(deps));

    expect(g.counts.length).toBe(sentBefore);
    expect(result.run.summary.unchanged).toBe(2);
    expect(result.run.summary.accepted).toBe(0);
  });

  it('sends every line again on a full refresh', async () => {
    const { deps, g } = await setup();
    await runSync(deps, request, options(deps));
    const full = { ...request, runId: 'r-full', full: true };
    await enqueueRun(deps, { ...full, queuedAt: deps.clock.now() });
    const result = await runSync(deps, full, options(deps));
    expect(result.run.summary.accepted).toBe(2);
    expect(g.counts).toHaveLength(4);
  });

  it('asks for one billing rebuild per run: no_build on every count but the last', async () => {
    const { deps, g } = await setup();
    await runSync(deps, request, options(deps, { maxInFlight: 1 }));
    const rebuilds = g.counts.filter((c) => !c.noBuild);
    expect(rebuilds.length).toBe(1);
  });

  it('sends the rebuilding count last, for a service Gradient already accepted, and no line twice', async () => {
    const { deps, g } = await setup();
    // Lines to send: a1/seats, a2/seats (mapped) and a1/storage (service unmapped → 404).
    const sent: Array<{ account: string; service: string; noBuild: boolean }> = [];
    const original = g.setUnitCount.bind(g);
    g.setUnitCount = async (serviceId, accountId, unitCount, o) => {
      sent.push({ account: accountId, service: serviceId, noBuild: o.noBuild });
      return original(serviceId, accountId, unitCount, o);
    };
    await runSync(deps, request, options(deps, { maxInFlight: 1 }));
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => `${s.account}/${s.service}`)).size).toBe(3);
    expect(sent.filter((s) => !s.noBuild)).toEqual([sent[2]]);
    expect(sent[2]?.service).toBe('sku-seats');
  });

  it('stops at once when Gradient rejects the key, marks the partner auth_failed and does not retry', async () => {
    const { deps, g } = await setup();
    g.beforeCall = (route) => {
      if (route === 'setUnitCount') throw new GradientKeyRejectedError('Unauthorized', 401);
    };
    const result = await runSync(deps, request, options(deps, { maxInFlight: 1 }));

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.code).toBe('auth_failed');
    expect(g.calls.filter((c) => c === 'setUnitCount')).toHaveLength(1);
    expect((await deps.partners.get('msp-1'))?.status).toBe('auth_failed');
    expect(deps.state.metrics).toContainEqual({ name: 'PartnersAuthFailed', value: 1 });
    expect(JSON.stringify(deps.state.logs)).not.toContain(KEY);
  });

  it('retries a 5xx, leaves the line open for the redelivery once attempts run out, and sends it then', async () => {
    const { deps, g } = await setup();
    g.beforeCall = (route) => {
      if (route === 'setUnitCount' && g.calls.filter((c) => c === 'setUnitCount').length <= 3) {
        throw new GradientServerError('Bad gateway', 502);
      }
    };
    await expect(runSync(deps, request, options(deps, { maxInFlight: 1 }))).rejects.toBeInstanceOf(RunIncompleteError);
    expect((await deps.runs.listReceipts('msp-1', request.runId)).some((r) => r.outcome === 'failed')).toBe(false);

    const redelivered = await runSync(deps, request, options(deps, { maxInFlight: 1 }));
    expect(redelivered.run.status).toBe('succeeded');
    expect(redelivered.run.summary).toMatchObject({ accepted: 2, notMapped: 2, failed: 0 });
  });

  it('records a line that keeps failing on the last delivery as failed and closes the run as partial', async () => {
    const { deps, g } = await setup();
    g.beforeCall = (route) => {
      if (route === 'setUnitCount' && g.calls.filter((c) => c === 'setUnitCount').length <= 3) {
        throw new GradientServerError('Bad gateway', 502);
      }
    };
    const result = await runSync(deps, request, options(deps, { maxInFlight: 1, finalDelivery: true }));
    expect(result.run.status).toBe('partial');
    expect(result.run.summary.failed).toBe(1);
    const failed = (await deps.runs.listReceipts('msp-1', request.runId)).find((r) => r.outcome === 'failed');
    expect(failed).toMatchObject({ attempts: 3, httpStatus: 502 });
  });

  it('closes the run as failed when Gradient cannot even list accounts on the last delivery', async () => {
    const { deps, g } = await setup();
    g.beforeCall = () => {
      throw new GradientServerError('Service unavailable', 503);
    };
    await expect(runSync(deps, request, options(deps))).rejects.toBeInstanceOf(RunIncompleteError);
    const last = await runSync(deps, request, options(deps, { finalDelivery: true }));
    expect(last.run).toMatchObject({ status: 'failed', error: { code: 'gradient_unavailable' } });
  });

  it('hands a run out of time with progress made over to a continuation, which sends only the rest', async () => {
    const { deps, g } = await setup();
    // Each count takes 1 s of virtual time; the deadline allows only the first one.
    g.beforeCall = (route) => {
      if (route === 'setUnitCount') deps.clock.ms += 1_000;
    };
    const first = await runSync(deps, request, options(deps, { maxInFlight: 1, deadline: deps.clock.ms + 500 }));
    expect(first).toMatchObject({ kind: 'handed_over', continuation: 1 });
    expect(g.calls.filter((c) => c === 'setUnitCount').length).toBe(1);
    // The continuation message is queued for the same run, in its lane, and the run is free for it at once.
    expect(deps.state.sent.at(-1)).toEqual({ ...request, lane: 'nightly', continuation: 1 });
    const stored = await deps.runs.get('msp-1', request.runId);
    expect(stored).toMatchObject({ status: 'running', deliveries: 1, continuations: 1 });
    expect(Date.parse(stored!.leaseUntil!)).toBeLessThan(deps.clock.ms);
    // The partner's lease stays with the run, so no other run of the partner slips in before the continuation.
    expect(deps.runs.leases.get('msp-1')?.runId).toBe(request.runId);

    const second = await runSync(deps, { ...request, continuation: 1 }, options(deps, { maxInFlight: 1 }));
    expect(second.run.status).toBe('succeeded');
    expect(second.run.summary).toMatchObject({ accepted: 2, notMapped: 2 });
    expect(await deps.runs.get('msp-1', request.runId)).toMatchObject({ deliveries: 2, continuations: 1 });
    expect(deps.runs.leases.has('msp-1')).toBe(false);
    // Three lines are sent in all (two accepted, one 404), each exactly once across both deliveries.
    expect(g.calls.filter((c) => c === 'setUnitCount').length).toBe(3);
    expect(new Set(g.counts.map((c) => `${c.accountId}/${c.serviceId}`)).size).toBe(g.counts.length);
  });

  it('leaves a run out of time that made no progress for the redelivery (toward the DLQ)', async () => {
    const { deps, g } = await setup();
    await deps.runs.putReceipt('msp-1', {
      runId: request.runId,
      accountId: 'a3',
      serviceKey: 'seats',
      computed: 7,
      pushed: 7,
      outcome: 'not_mapped',
      attempts: 0,
      at: deps.clock.now().toISOString(),
    });
    // The account refresh takes past the deadline: no count can start, nothing is settled or sent.
    g.beforeCall = (route) => {
      if (route === 'listAccounts') deps.clock.ms += 1_000;
    };
    const first = runSync(deps, request, options(deps, { deadline: deps.clock.ms + 500 }));
    await expect(first).rejects.toBeInstanceOf(RunIncompleteError);
    expect(g.calls.filter((c) => c === 'setUnitCount')).toHaveLength(0);
    expect(deps.state.sent.filter((m) => 'continuation' in m)).toHaveLength(0);
    expect(deps.runs.leases.has('msp-1')).toBe(false);

    // On the message's last delivery the same closes the open lines as failed instead.
    const last = await runSync(deps, request, options(deps, { deadline: deps.clock.ms + 500, finalDelivery: true }));
    expect(last.run.status).toBe('partial');
    expect(last.run.summary).toMatchObject({ accepted: 0, failed: 3, notMapped: 1 });
  });

  it('refuses a duplicate delivery while another holds the run, and ignores one after it finished', async () => {
    const { deps, g } = await setup();
    await deps.runs.acquire('msp-1', request.runId, deps.clock.now().toISOString(), '2999-01-01T00:00:00.000Z');
    await expect(runSync(deps, request, options(deps))).rejects.toBeInstanceOf(RunBusyError);

    const fresh = await setup();
    await runSync(fresh.deps, request, options(fresh.deps));
    const again = await runSync(fresh.deps, request, options(fresh.deps));
    expect(again.kind).toBe('already_finished');
    expect(fresh.g.counts).toHaveLength(2);
    expect(g.counts).toHaveLength(0);
  });

  it('fails the run without calling Gradient when the partner was disconnected', async () => {
    const { deps, g } = await setup();
    const partner = (await deps.partners.get('msp-1'))!;
    await deps.partners.put({ ...partner, status: 'disconnected' });
    const result = await runSync(deps, request, options(deps));
    expect(result.run.error?.code).toBe('partner_not_connected');
    expect(g.calls).toHaveLength(0);
    expect((await deps.partners.get('msp-1'))?.status).toBe('disconnected');
  });
});

describe('one run per partner at a time', () => {
  const other: SyncRequest = { ...request, runId: '20261126T020500Z-r-resync01', trigger: 'resync' };
  const NOW = '2026-11-26T02:00:00.000Z';

  it.each([
    { when: 'nobody holds it', held: undefined, free: true },
    {
      when: 'the holder ran out of time (it crashed)',
      held: { runId: 'dead', until: '2026-11-26T01:59:59.999Z' },
      free: true,
    },
    {
      when: 'this run holds it already (its redelivery)',
      held: { runId: 'me', until: '2026-11-26T02:05:00.000Z' },
      free: true,
    },
    {
      when: 'another run holds it until later',
      held: { runId: 'other', until: '2026-11-26T02:05:00.000Z' },
      free: false,
    },
    { when: 'another run holds it until this very moment', held: { runId: 'other', until: NOW }, free: false },
  ])('the partner lease is free ($free) for a run when $when', ({ held, free }) => {
    expect(partnerLeaseFree(held, 'me', NOW)).toBe(free);
  });

  it('makes a second run of the partner wait, untouched and sending nothing, while the first holds the lease', async () => {
    const { deps, g } = await setup();
    await enqueueRun(deps, { ...other, queuedAt: deps.clock.now() });
    const now = deps.clock.now().toISOString();
    await deps.runs.leasePartner('msp-1', { runId: request.runId, until: '2026-11-26T02:05:00.000Z' }, now);

    const waiting = runSync(deps, other, options(deps));
    await expect(waiting).rejects.toBeInstanceOf(PartnerBusyError);
    await expect(waiting).rejects.toMatchObject({ partnerId: 'msp-1', heldBy: request.runId });
    expect(await deps.runs.get('msp-1', other.runId)).toMatchObject({ status: 'queued', deliveries: 0 });
    expect(g.calls).toHaveLength(0);
  });

  it('gives the lease back when a run finishes, so the next run of the partner goes', async () => {
    const { deps } = await setup();
    await enqueueRun(deps, { ...other, queuedAt: deps.clock.now() });
    await runSync(deps, request, options(deps));
    expect(deps.runs.leases.has('msp-1')).toBe(false);
    expect((await runSync(deps, other, options(deps))).run.status).toBe('succeeded');
    expect(deps.runs.leases.has('msp-1')).toBe(false);
  });

  it('takes over the lease of a run that crashed once its time ran out', async () => {
    const { deps } = await setup();
    await enqueueRun(deps, { ...other, queuedAt: deps.clock.now() });
    const now = deps.clock.now().toISOString();
    await deps.runs.leasePartner('msp-1', { runId: other.runId, until: '2026-11-26T02:01:00.000Z' }, now);
    await expect(runSync(deps, request, options(deps))).rejects.toBeInstanceOf(PartnerBusyError);
    deps.clock.ms += 60_001;
    expect((await runSync(deps, request, options(deps))).run.status).toBe('succeeded');
  });

  it('gives the lease back when a run hands over to its redelivery, and holds it while the run is busy', async () => {
    const { deps, g } = await setup();
    g.beforeCall = (route) => {
      if (route === 'setUnitCount') throw new GradientServerError('Bad gateway', 502);
    };
    await expect(runSync(deps, request, options(deps))).rejects.toBeInstanceOf(RunIncompleteError);
    expect(deps.runs.leases.has('msp-1')).toBe(false);

    // Another delivery of the same run holds the run: the duplicate is busy and leaves the partner's lease held.
    await deps.runs.acquire('msp-1', request.runId, deps.clock.now().toISOString(), '2999-01-01T00:00:00.000Z');
    await deps.runs.leasePartner('msp-1', { runId: request.runId, until: '2999-01-01T00:00:00.000Z' }, 'now');
    await expect(runSync(deps, request, options(deps))).rejects.toBeInstanceOf(RunBusyError);
    expect(deps.runs.leases.get('msp-1')?.runId).toBe(request.runId);
  });

  it('gives back the lease a late duplicate took for a run that had finished', async () => {
    const { deps } = await setup();
    await runSync(deps, request, options(deps));
    expect((await runSync(deps, request, options(deps))).kind).toBe('already_finished');
    expect(deps.runs.leases.has('msp-1')).toBe(false);
  });
});
