import type { LineReceipt, Run } from '../../../../lambdas/core/model';
import { harness } from './support';

afterEach(() => {
  delete process.env.RESYNC_MAX_CLOSED_PERIODS;
});

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
      },
    ]);
    expect((await h.deps.runs.get('msp-1', res.body.runId))?.status).toBe('queued');
  });

  it('computes a past period as of its last day, with full when asked', async () => {
    const h = await connected();
    process.env.RESYNC_MAX_CLOSED_PERIODS = '9'; // 2026-02 is nine closed periods before 2026-11
    const res = await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-02', full: true } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ period: '2026-02', asOf: '2026-02-28', full: true });
    expect(h.deps.state.sent[0]).toMatchObject({ asOf: '2026-02-28', full: true });
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
    process.env.RESYNC_MAX_CLOSED_PERIODS = '0';
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-10' } })).status).toBe(400);
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2026-11' } })).status).toBe(202);
    process.env.RESYNC_MAX_CLOSED_PERIODS = '12';
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2025-11' } })).status).toBe(202);
    expect((await h.call('POST', '/v1/partners/msp-1/resync', { body: { period: '2025-10' } })).status).toBe(400);
    process.env.RESYNC_MAX_CLOSED_PERIODS = '120';
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
    attempts: 1,
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
