// Gradient error messages as the real client would build them (scrubbed), so core and handlers pass text on.
import { GradientServerError } from '../../../../lambdas/core/errors';
import type { LineReceipt } from '../../../../lambdas/core/model';
import { captureOutput, harness, OTHER_KEY, PARTNER_KEY } from './support';

it('the Partner API key appears in no response, log line, metric, stored record or run of a whole flow', async () => {
  const output = captureOutput();
  const answers: string[] = [];
  let state: ReturnType<typeof harness>['deps']['state'];
  let runs: ReturnType<typeof harness>['deps']['runs'];
  try {
    const h = harness({ loud: true });
    state = h.deps.state;
    runs = h.deps.runs;
    const gradient = h.gradientFor();
    const keep = async (p: Promise<{ raw: string; headers: Record<string, unknown>; status: number }>) => {
      const res = await p;
      answers.push(res.raw, JSON.stringify(res.headers));
      return res;
    };
    await keep(h.service());
    await keep(h.account('msp-1', 'acme', 'Acme'));
    await keep(
      h.call('POST', '/v1/partners/msp-1/usage', {
        body: { snapshots: [{ accountId: 'acme', serviceKey: 'business-seat', date: '2026-11-20', quantity: 3 }] },
      }),
    );
    await keep(h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: PARTNER_KEY } }));
    await keep(h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: OTHER_KEY } }));
    await keep(h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: `${PARTNER_KEY} x` } }));
    expect((await keep(h.save('msp-1', OTHER_KEY))).status).toBe(422);
    gradient.beforeCall = (route) => {
      if (route === 'createAccounts')
        throw new GradientServerError('Gradient POST /organization/accounts answered 500', 500);
    };
    expect((await keep(h.save())).status).toBe(502);
    gradient.beforeCall = () => {};
    expect((await keep(h.save())).status).toBe(200);
    await keep(h.save());
    await keep(h.call('POST', '/v1/partners/msp-1/connection/test'));
    await keep(h.call('POST', '/v1/partners/msp-1/mappings/sync'));
    await keep(h.call('GET', '/v1/partners/msp-1/mappings'));
    await keep(h.call('GET', '/v1/partners/msp-1'));
    const queued = await keep(h.call('POST', '/v1/partners/msp-1/resync'));
    const runId = JSON.parse(queued.raw).runId as string;
    const receipt: LineReceipt = {
      runId,
      accountId: 'acme',
      serviceKey: 'business-seat',
      computed: 3,
      pushed: 3,
      outcome: 'not_mapped',
      httpStatus: 404,
      attempts: 1,
      at: 'now',
    };
    await h.deps.runs.putReceipt('msp-1', receipt);
    await keep(h.call('GET', '/v1/partners/msp-1/runs'));
    await keep(h.call('GET', `/v1/partners/msp-1/runs/${runId}`));
    await keep(
      h.call('PUT', '/v1/partners/msp-1/connection', { raw: `{"partnerApiKey":"${PARTNER_KEY}"`, headers: {} }),
    );
    await keep(
      h.call('PUT', '/v1/partners/msp-1/connection', { body: { partnerApiKey: PARTNER_KEY, extra: PARTNER_KEY } }),
    );
    await keep(h.call('DELETE', '/v1/partners/msp-1/connection'));
    await keep(h.call('DELETE', '/v1/partners/msp-1/connection'));
  } finally {
    output.restore();
  }

  // The flow did produce logs and answers to look at.
  expect(output.lines.filter((l) => l.includes('"message":"request"')).length).toBeGreaterThanOrEqual(20);
  expect(state!.logs.length).toBeGreaterThan(5);
  const stored = JSON.stringify({
    partners: [...state!.partners.values()],
    mappings: [...state!.accountMappings.values(), ...state!.serviceMappings.values()],
    catalog: [...state!.catalog.values()],
    runs: [...runs!.runs.values()],
    receipts: [...runs!.receipts.values()].map((m) => [...m.values()]),
    sent: state!.sent,
    coreLogs: state!.logs,
    metrics: state!.metrics,
  });
  for (const key of [PARTNER_KEY, OTHER_KEY]) {
    for (const text of [...answers, ...output.lines, stored]) expect(text).not.toContain(key);
  }
});

it('a key sent as a JSON field name is never echoed: "unknown field" at the path of the object holding it', async () => {
  const h = harness();
  await h.service();
  await h.account('msp-1', 'acme', 'Acme');
  const snapshot = { accountId: 'acme', serviceKey: 'business-seat', date: '2026-11-20', quantity: 3 };
  const answers = [
    await h.call('PUT', '/v1/partners/msp-1/connection', { body: { [PARTNER_KEY]: true } }),
    await h.call('POST', '/v1/partners/msp-1/connection/test', {
      body: { partnerApiKey: OTHER_KEY, [PARTNER_KEY]: 1 },
    }),
    await h.call('PUT', '/v1/partners/msp-1/accounts/acme', {
      body: { name: 'Acme', [PARTNER_KEY]: 1, [OTHER_KEY]: 2 },
    }),
    await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [snapshot], [PARTNER_KEY]: 1 } }),
    await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [{ ...snapshot, [PARTNER_KEY]: 1 }] } }),
    await h.call('POST', '/v1/partners/msp-1/usage', { body: { [PARTNER_KEY]: [] } }),
  ];
  for (const res of answers) {
    expect(res.status).toBe(400);
    expect(res.raw).not.toContain(PARTNER_KEY);
    expect(res.raw).not.toContain(OTHER_KEY);
  }
  const unknown = answers.map((res) =>
    res.body.error.details.filter((d: { message: string }) => /unknown field/.test(d.message)),
  );
  expect(unknown).toEqual([
    [{ path: '(body)', message: 'unknown field' }],
    [{ path: '(body)', message: 'unknown field' }],
    [{ path: '(body)', message: '2 unknown fields' }],
    [{ path: '(body)', message: 'unknown field' }],
    [{ path: 'snapshots.0', message: 'unknown field' }],
    [{ path: '(body)', message: 'unknown field' }],
  ]);
});
