import type { LineReceipt, Run } from '../../../../lambdas/core/model';
import { harness, OTHER_KEY } from './support';

async function connected() {
  const h = harness();
  h.gradientFor();
  await h.service();
  await h.account('msp-1', 'acme', 'Acme');
  await h.save();
  return h;
}

describe('POST /v1/partners/{partnerId}/resync', () => {
  it('enqueues the current period as of today, not full, and answers 202 {runId}', async () => {
    const h = await connected();
    const res = await h.call('POST', '/v1/partners/msp-1/resync');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      runId: expect.stringMatching(/^20261126T020000Z-r-[0-9a-f]{8}$/),
      period: '2026-11',
      asOf: '2026-11-26',
      full: false,
    });
    expect(res.headers.location).toBe(`/v1/partners/msp-1/runs/${res.body.runId}`);
    expect(h.deps.state.sent).toEqual([
      {
        runId: res.body.runId,
        partnerId: 'msp-1',
        period: '2026-11',
        asOf: '2026-11-26',
        full: false,
        trigger: 'resync',
        // A billing admin waits for it: the first lane of the shared budget.
        lane: 'admin',
      },
    ]);
    expect((await h.deps.runs.get('msp-1', res.body.runId))?.status).toBe('queued');
  });

  it('computes a past period as of its last day, with full when asked', async () => {
    const h = await connected();
    h.settings.resync.maxClosedPeriods = 9; // 2026-02 is nine closed periods before 2026-11
    const res = await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-02', full: true } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ period: '2026-02', asOf: '2026-02-28', full: true });
    expect(h.deps.state.sent[0]).toMatchObject({ asOf: '2026-02-28', full: true, lane: 'bulk' });
  });

  it('reaches back one closed period by default: the previous month, not the one before nor 0001-01', async () => {
    const h = await connected();
    // The virtual clock says 2026-11-26.
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-10' } })).status).toBe(202);
    for (const period of ['2026-09', '0001-01']) {
      const res = await h.call('POST', '/v1/partners/msp-1/resync', { body: { period } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        {
          path: 'period',
          message:
            'a resync reaches back at most 1 closed period(s) (RESYNC_MAX_CLOSED_PERIODS): the earliest is 2026-10',
        },
      ]);
    }
    expect(h.deps.state.sent.map((m) => m.period)).toEqual(['2026-10']);
  });

  it('honours RESYNC_MAX_CLOSED_PERIODS: 0 allows the current period only, 12 a year back, never before 2000', async () => {
    const h = await connected();
    h.settings.resync.maxClosedPeriods = 0;
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-10' } })).status).toBe(400);
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-11' } })).status).toBe(202);
    h.settings.resync.maxClosedPeriods = 12;
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2025-11' } })).status).toBe(202);
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2025-10' } })).status).toBe(400);
    h.settings.resync.maxClosedPeriods = 120;
    const ancient = await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '1999-12' } });
    expect(ancient.status).toBe(400);
  });

  it('two resyncs in the same second get two different runs', async () => {
    const h = await connected();
    const a = await h.call('POST', '/v1/partners/msp-1/resync');
    const b = await h.call('POST', '/v1/partners/msp-1/resync');
    expect(a.body.runId).not.toBe(b.body.runId);
    expect(h.deps.state.sent).toHaveLength(2);
  });

  it('refuses a future period, a malformed one and a non-boolean full (400), enqueuing nothing', async () => {
    const h = await connected();
    const future = await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-12' } });
    expect(future.status).toBe(400);
    expect(future.body.error.details[0]).toMatchObject({ path: 'period' });
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-13' } })).status).toBe(400);
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '11/2026' } })).status).toBe(400);
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { full: 'yes' } })).status).toBe(400);
    expect(h.deps.state.sent).toHaveLength(0);
  });

  it('answers 409 for a disconnected partner and 404 for an unknown one', async () => {
    const h = await connected();
    await h.call('DELETE', '/v1/partners/msp-1/connection');
    const res = await h.call('POST', '/v1/partners/msp-1/resync');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('partner_not_connected');
    expect((await h.call('POST', '/v1/partners/nobody/resync')).status).toBe(404);
    expect(h.deps.state.sent).toHaveLength(0);
  });
});

describe('POST /v1/partners/{partnerId}/resync with an Idempotency-Key', () => {
  const withKey = (key: string, body?: object) => ({ headers: { 'Idempotency-Key': key }, ...(body && { body }) });

  it('answers the same run for the same key and queues nothing new, even after the run started', async () => {
    const h = await connected();
    const first = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1', { full: true }));
    expect(first.status).toBe(202);
    await h.deps.runs.acquire('msp-1', first.body.runId, '2026-11-26T02:00:00.000Z', '2026-11-26T02:05:00.000Z');
    h.deps.clock.ms += 60_000;
    // Header names are case-insensitive; an absent `full` in the first request would equal `false`, not `true`.
    const again = await h.call('POST', '/v1/partners/msp-1/resync', {
      headers: { 'idempotency-key': 'k-1' },
      body: { full: true },
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(`/v1/partners/msp-1/runs/${first.body.runId}`);
    expect(h.deps.state.sent).toHaveLength(1);
  });

  it('treats an absent full as false, and a new key as a new run', async () => {
    const h = await connected();
    const a = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'));
    const b = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1', { full: false }));
    const c = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-2'));
    expect(b.body.runId).toBe(a.body.runId);
    expect(c.body.runId).not.toBe(a.body.runId);
    expect(h.deps.state.sent.map((m) => m.runId)).toEqual([a.body.runId, c.body.runId]);
  });

  it('answers 409 idempotency_key_reused for the same key with a different body, queuing nothing', async () => {
    const h = await connected();
    await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1', { period: '2026-10' }));
    for (const body of [{ period: '2026-09' }, { period: '2026-10', full: true }, {}]) {
      const res = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1', body));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('idempotency_key_reused');
    }
    expect(h.deps.state.sent).toHaveLength(1);
  });

  it('keeps keys per partner: the same key of another partner is its own resync', async () => {
    const h = await connected();
    h.gradientFor(OTHER_KEY);
    await h.account('msp-2', 'globex', 'Globex');
    await h.save('msp-2', OTHER_KEY);
    const one = await h.call('POST', '/v1/partners/msp-1/resync', withKey('shared'));
    const two = await h.call('POST', '/v1/partners/msp-2/resync', withKey('shared', { full: true }));
    expect(two.status).toBe(202);
    expect(two.body.runId).not.toBe(one.body.runId);
    expect(h.deps.state.sent.map((m) => m.partnerId)).toEqual(['msp-1', 'msp-2']);
  });

  it('forgets a key after a day: the same key then queues a new run', async () => {
    const h = await connected();
    const first = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'));
    h.deps.clock.ms += 24 * 3_600_000;
    const later = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'));
    expect(later.status).toBe(202);
    expect(later.body.runId).not.toBe(first.body.runId);
    expect(h.deps.state.sent).toHaveLength(2);
  });

  it('starts over when the first request could not queue its run (500): the retry queues one', async () => {
    const h = await connected();
    const send = h.deps.queue.send;
    h.deps.queue.send = async () => {
      throw new Error('SQS unavailable');
    };
    expect((await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'))).status).toBe(500);
    h.deps.queue.send = send;
    const retried = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'));
    expect(retried.status).toBe(202);
    expect(h.deps.state.sent.map((m) => m.runId)).toEqual([retried.body.runId]);
    expect(await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'))).toMatchObject({ body: retried.body });
  });

  it('queues the run a key answered when the process died between claiming the key and recording the run', async () => {
    const h = await connected();
    const answer = { runId: '20261126T015900Z-r-died0001', period: '2026-11', asOf: '2026-11-26', full: false };
    const claim = { key: 'k-1', request: { full: false }, answer, expiresAt: '2026-11-27T01:59:00.000Z' };
    await h.deps.runs.claim('msp-1', claim, '2026-11-26T01:59:00.000Z');
    const res = await h.call('POST', '/v1/partners/msp-1/resync', withKey('k-1'));
    expect(res.body).toEqual(answer);
    expect(h.deps.state.sent).toEqual([{ ...answer, partnerId: 'msp-1', trigger: 'resync', lane: 'admin' }]);
    expect((await h.deps.runs.get('msp-1', answer.runId))?.status).toBe('queued');
  });

  it.each([
    ['empty', ''],
    ['longer than 128 characters', 'k'.repeat(129)],
    ['not printable ASCII', 'clé-1'],
    ['a control character', 'k\t1'],
  ])('refuses a key that is %s (400), queuing nothing', async (_, key) => {
    const h = await connected();
    const res = await h.call('POST', '/v1/partners/msp-1/resync', withKey(key));
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'Idempotency-Key' });
    expect(h.deps.state.sent).toHaveLength(0);
  });

  it('accepts a key of exactly 128 printable characters', async () => {
    const h = await connected();
    expect((await h.call('POST', '/v1/partners/msp-1/resync', withKey('k'.repeat(127) + '~'))).status).toBe(202);
  });
});

describe('GET /v1/partners/{partnerId}/runs and …/runs/{runId}', () => {
  const run = (runId: string, over: Partial<Run> = {}): Run => ({
    runId,
    partnerId: 'msp-1',
    period: '2026-11',
    asOf: '2026-11-25',
    full: false,
    trigger: 'schedule',
    status: 'succeeded',
    queuedAt: '2026-11-25T02:00:00.000Z',
    startedAt: '2026-11-25T02:00:01.000Z',
    finishedAt: '2026-11-25T02:00:03.000Z',
    deliveries: 1,
    continuations: 0,
    leaseUntil: '2026-11-25T02:05:00.000Z',
    summary: { lines: 2, sent: 2, accepted: 1, notMapped: 1, unchanged: 0, failed: 0 },
    ...over,
  });
  const receipt = (accountId: string, outcome: LineReceipt['outcome'], httpStatus: number): LineReceipt => ({
    runId: '20261125T020000Z-n-1',
    accountId,
    serviceKey: 'business-seat',
    computed: 12.4,
    pushed: 12,
    outcome,
    httpStatus,
    attempts: 1,
    at: '2026-11-25T02:00:02.000Z',
  });

  it('lists runs newest first, honouring limit', async () => {
    const h = await connected();
    await h.deps.runs.create(run('20261124T020000Z-n-1'));
    await h.deps.runs.create(run('20261125T020000Z-n-1'));
    await h.deps.runs.create(run('20261123T020000Z-n-1'));
    const res = await h.call('GET', '/v1/partners/msp-1/runs', { query: { limit: '2' } });
    expect(res.status).toBe(200);
    expect(res.body.runs.map((r: Run) => r.runId)).toEqual(['20261125T020000Z-n-1', '20261124T020000Z-n-1']);
    expect(res.body.runs[0]).not.toHaveProperty('leaseUntil');
  });

  it('shows one run with its per-line receipts', async () => {
    const h = await connected();
    await h.deps.runs.create(run('20261125T020000Z-n-1'));
    await h.deps.runs.putReceipt('msp-1', receipt('globex', 'not_mapped', 404));
    await h.deps.runs.putReceipt('msp-1', receipt('acme', 'accepted', 201));
    const res = await h.call('GET', '/v1/partners/msp-1/runs/20261125T020000Z-n-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId: '20261125T020000Z-n-1', status: 'succeeded', summary: { accepted: 1 } });
    expect(res.body.lines).toEqual([
      {
        accountId: 'acme',
        serviceKey: 'business-seat',
        computed: 12.4,
        pushed: 12,
        outcome: 'accepted',
        httpStatus: 201,
        attempts: 1,
        at: '2026-11-25T02:00:02.000Z',
        // A receipt written before reasons were kept: no reason, no previous value known, no changes.
        previous: null,
        changes: [],
      },
      expect.objectContaining({ accountId: 'globex', outcome: 'not_mapped', httpStatus: 404 }),
    ]);
  });

  it('answers 404 for an unknown run or partner and 400 for a bad limit', async () => {
    const h = await connected();
    const missing = await h.call('GET', '/v1/partners/msp-1/runs/20991231T000000Z-r-00000000');
    expect(missing.status).toBe(404);
    expect((await h.call('GET', '/v1/partners/nobody/runs')).status).toBe(404);
    expect((await h.call('GET', '/v1/partners/msp-1/runs', { query: { limit: '0' } })).status).toBe(400);
    expect((await h.call('GET', '/v1/partners/msp-1/runs', { query: { limit: 'ten' } })).status).toBe(400);
  });
});
