import { harness } from './support';

const snapshot = (over: Record<string, unknown> = {}) => ({
  accountId: 'acme',
  serviceKey: 'business-seat',
  date: '2026-11-20',
  quantity: 12,
  ...over,
});

describe('PUT /v1/services/{serviceKey}', () => {
  it('creates a service (201), replaces it (200) and keeps the Gradient id it already had', async () => {
    const h = harness();
    expect((await h.service()).status).toBe(201);
    h.deps.state.catalog.get('business-seat')!.gradientServiceId = 'sku-7';
    const again = await h.service('business-seat', 'Business Seat v2');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ name: 'Business Seat v2', gradientServiceId: 'sku-7' });
    const list = await h.call('GET', '/v1/services');
    expect(list.status).toBe(200);
    expect(list.body.services).toHaveLength(1);
  });

  it('shows the basis of average services (projected when new, to_date when stored without one)', async () => {
    const h = harness();
    const body = { name: 'Seats', description: 'Seats', category: 'security', subcategory: 'password management' };
    const avg = await h.call('PUT', '/v1/services/seats', { body: { ...body, aggregation: 'average' } });
    expect(avg.status).toBe(201);
    expect(avg.body.averageBasis).toBe('projected');
    const peak = await h.call('PUT', '/v1/services/peak', { body: { ...body, aggregation: 'peak' } });
    expect(peak.body).not.toHaveProperty('averageBasis');
    h.deps.state.catalog.set('legacy', { serviceKey: 'legacy', ...body, aggregation: 'average', updatedAt: 'x' });
    const list = await h.call('GET', '/v1/services');
    expect(
      Object.fromEntries(
        list.body.services.map((s: { serviceKey: string; averageBasis?: string }) => [s.serviceKey, s.averageBasis]),
      ),
    ).toEqual({
      legacy: 'to_date',
      peak: undefined,
      seats: 'projected',
    });
  });

  it('rejects an unknown basis and a basis for an aggregation other than average, writing nothing', async () => {
    const h = harness();
    const body = { name: 'S', description: 'S', category: 'security', subcategory: 'password management' };
    const unknown = await h.call('PUT', '/v1/services/a', {
      body: { ...body, aggregation: 'average', averageBasis: 'forecast' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.map((d: { path: string }) => d.path)).toEqual(['averageBasis']);
    const onSum = await h.call('PUT', '/v1/services/b', {
      body: { ...body, aggregation: 'sum', averageBasis: 'to_date' },
    });
    expect(onSum.status).toBe(400);
    expect(onSum.body.error.details).toEqual([
      { path: 'averageBasis', message: 'averageBasis applies to aggregation "average" only' },
    ]);
    expect(h.deps.state.catalog.size).toBe(0);
  });

  it('rejects a category outside Gradient enums, a bad aggregation, a bad unitScale and unknown fields, listing each', async () => {
    const h = harness();
    const res = await h.call('PUT', '/v1/services/seat', {
      body: {
        name: 'Seat',
        description: 'd',
        category: 'Security',
        subcategory: 'password management',
        aggregation: 'median',
        unitScale: -1,
        colour: 'red',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['category', 'aggregation', 'unitScale', '(body)']));
    expect(h.deps.state.catalog.size).toBe(0);
  });

  it.each(['1e20', '1e308', '5e-324', '0.5', '1.0000001'])(
    'rejects a unitScale the store cannot hold or that would scale up (%s) with 400 and writes nothing',
    async (unitScale) => {
      const h = harness();
      const raw = `{"name":"Storage","description":"d","category":"security","subcategory":"password management","aggregation":"sum","unitScale":${unitScale}}`;
      const res = await h.call('PUT', '/v1/services/storage', { raw });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: 'unitScale', message: expect.stringMatching(/from 1 to 1e15 with/) },
      ]);
      expect(h.deps.state.catalog.size).toBe(0);
    },
  );

  it('accepts a unitScale of 1, 3600, 1e9 and 1e15', async () => {
    const h = harness();
    for (const unitScale of [1, 3600, 1e9, 1e15]) {
      const raw = `{"name":"S","description":"d","category":"security","subcategory":"password management","aggregation":"sum","unitScale":${unitScale}}`;
      expect((await h.call('PUT', `/v1/services/s-${unitScale}`, { raw })).status).toBe(201);
    }
  });

  it('rejects a service key containing the store separator "#"', async () => {
    const h = harness();
    const res = await h.call('PUT', '/v1/services/seat%23x', { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('serviceKey');
  });
});

describe('PUT /v1/partners/{partnerId}/accounts/{accountId}', () => {
  it('upserts a managed company before the partner ever connected, active by default', async () => {
    const h = harness();
    const created = await h.account('msp-1', 'acme', 'Acme Corp', { description: 'HQ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ partnerId: 'msp-1', accountId: 'acme', active: true, description: 'HQ' });
    const updated = await h.account('msp-1', 'acme', 'Acme Corporation', { active: false });
    expect(updated.status).toBe(200);
    expect(h.deps.state.accounts.get('msp-1|acme')).toMatchObject({ name: 'Acme Corporation', active: false });
  });

  it('rejects an empty name and a non-boolean active', async () => {
    const h = harness();
    const res = await h.account('msp-1', 'acme', '  ', { active: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['active', 'name']);
  });

  it('rejects ids that are too long or start with a punctuation mark', async () => {
    const h = harness();
    expect((await h.account('msp-1', 'x'.repeat(129), 'A')).status).toBe(400);
    expect((await h.account('-msp', 'acme', 'A')).status).toBe(400);
  });
});

/** The catalog's service and the accounts of msp-1 the usage tests send for (written straight to the store). */
async function registered() {
  const h = harness();
  await h.service();
  const ids = ['acme', 'acc1', 'acc9', ...Array.from({ length: 1001 }, (_, i) => `a${i}`)];
  for (const accountId of ids) {
    await h.deps.accounts.put({ partnerId: 'msp-1', accountId, name: accountId, active: true, updatedAt: 'now' });
  }
  return h;
}

describe('POST /v1/partners/{partnerId}/usage', () => {
  it('writes a valid batch; the same account, service and date overwrites', async () => {
    const h = await registered();
    const first = await h.call('POST', '/v1/partners/msp-1/usage', {
      body: { snapshots: [snapshot(), snapshot({ date: '2026-11-21', quantity: 0 })] },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ written: 2 });
    await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [snapshot({ quantity: 15.5 })] } });
    expect(h.deps.state.snapshots.get('msp-1|acme|business-seat|2026-11-20')?.quantity).toBe(15.5);
    expect(h.deps.state.snapshots.size).toBe(2);
  });

  it('rejects the whole batch, listing every problem by index, and writes nothing', async () => {
    const h = await registered();
    const res = await h.call('POST', '/v1/partners/msp-1/usage', {
      body: {
        snapshots: [
          snapshot(),
          snapshot({ serviceKey: 'storage-tb' }),
          snapshot({ date: '2026-02-30' }),
          snapshot({ quantity: -1 }),
          snapshot({ accountId: 'a#b' }),
          snapshot({ date: '2026-11-28' }),
          snapshot({ quantity: 'ten' }),
          snapshot(),
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/nothing was written/);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual([
      'snapshots.1.serviceKey',
      'snapshots.2.date',
      'snapshots.3.quantity',
      'snapshots.4.accountId',
      'snapshots.5.date',
      'snapshots.6.quantity',
      'snapshots.7',
    ]);
    expect(h.deps.state.snapshots.size).toBe(0);
  });

  it('answers 404 for a partner with neither a registered account nor a connection, writing nothing', async () => {
    const h = await registered();
    const res = await h.call('POST', '/v1/partners/msp-unknown/usage', { body: { snapshots: [snapshot()] } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(h.deps.state.snapshots.size).toBe(0);
  });

  it('takes usage of a partner that registered accounts but has not connected yet (the README flow)', async () => {
    const h = await registered();
    expect(h.deps.state.partners.size).toBe(0);
    expect((await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [snapshot()] } })).status).toBe(200);
  });

  it('rejects unregistered accounts and unknown services with 400, listing all of them, and writes nothing', async () => {
    const h = await registered();
    await h.save('msp-2');
    const res = await h.call('POST', '/v1/partners/msp-1/usage', {
      body: {
        snapshots: [
          snapshot(),
          snapshot({ accountId: 'never-registered' }),
          snapshot({ accountId: 'ghost', serviceKey: 'storage-tb', quantity: -1 }),
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('2 of 3 snapshots are invalid; nothing was written');
    expect(res.body.error.details).toEqual([
      { path: 'snapshots.1.accountId', message: expect.stringMatching(/"never-registered" is not registered/) },
      { path: 'snapshots.2.quantity', message: expect.stringMatching(/^must be a number/) },
      { path: 'snapshots.2.accountId', message: expect.stringMatching(/"ghost" is not registered/) },
      { path: 'snapshots.2.serviceKey', message: expect.stringMatching(/unknown service "storage-tb"/) },
    ]);
    expect(h.deps.state.snapshots.size).toBe(0);
  });

  it('answers 400, not 404, for a connected partner that has no account registered', async () => {
    const h = await registered();
    h.gradientFor();
    expect((await h.save('msp-2')).status).toBe(200);
    const res = await h.call('POST', '/v1/partners/msp-2/usage', { body: { snapshots: [snapshot()] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('snapshots.0.accountId');
  });

  it('rejects usage dated before 2000-01-01 and takes 2000-01-01 itself', async () => {
    const h = await registered();
    const res = await h.call('POST', '/v1/partners/msp-1/usage', {
      body: { snapshots: [snapshot({ date: '0001-01-01' }), snapshot({ date: '1999-12-31' })] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'snapshots.0.date', message: 'date is before 2000-01-01 (the earliest accepted)' },
      { path: 'snapshots.1.date', message: 'date is before 2000-01-01 (the earliest accepted)' },
    ]);
    expect(h.deps.state.snapshots.size).toBe(0);
    const first = await h.call('POST', '/v1/partners/msp-1/usage', {
      body: { snapshots: [snapshot({ date: '2000-01-01' })] },
    });
    expect(first.status).toBe(200);
  });

  it('accepts tomorrow (UTC) for platforms east of UTC but not the day after', async () => {
    const h = await registered();
    // The virtual clock says 2026-11-26.
    expect(
      (await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [snapshot({ date: '2026-11-27' })] } }))
        .status,
    ).toBe(200);
    expect(
      (await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [snapshot({ date: '2026-11-28' })] } }))
        .status,
    ).toBe(400);
  });

  it('rejects a non-finite quantity (1e400 parses to Infinity)', async () => {
    const h = await registered();
    const raw =
      '{"snapshots":[{"accountId":"acme","serviceKey":"business-seat","date":"2026-11-20","quantity":1e400}]}';
    const res = await h.call('POST', '/v1/partners/msp-1/usage', { raw });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('snapshots.0.quantity');
  });

  it.each([
    ['1e308', '1e308'],
    ['2^53+1', '9007199254740993'],
    ['1e-320', '1e-320'],
    ['above 1e14', '100000000000000.5'],
    ['more than 6 decimals', '0.1234567'],
  ])('rejects a quantity the store cannot hold (%s) with 400, before any write', async (_, quantity) => {
    const h = await registered();
    const raw = `{"snapshots":[${JSON.stringify(snapshot({ accountId: 'acc1', quantity: 5 }))},{"accountId":"acc9","serviceKey":"business-seat","date":"2026-11-20","quantity":${quantity}}]}`;
    const res = await h.call('POST', '/v1/partners/msp-1/usage', { raw });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'snapshots.1.quantity', message: expect.stringMatching(/at most 6 decimals/) },
    ]);
    expect(h.deps.state.snapshots.size).toBe(0);
  });

  it('accepts the bounds themselves: 0, 0.000001, 6 decimals and 1e14', async () => {
    const h = await registered();
    const quantities = [0, 0.000001, 1234.567891, 1e14];
    const snapshots = quantities.map((quantity, i) => snapshot({ accountId: `a${i}`, quantity }));
    expect((await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots } })).status).toBe(200);
    expect([...h.deps.state.snapshots.values()].map((s) => s.quantity)).toEqual(quantities);
  });

  it('rejects more than 1000 snapshots, an empty batch and a missing body', async () => {
    const h = await registered();
    const many = Array.from({ length: 1001 }, (_, i) => snapshot({ accountId: `a${i}` }));
    const tooMany = await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: many } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].path).toBe('snapshots');
    expect((await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: [] } })).status).toBe(400);
    expect((await h.call('POST', '/v1/partners/msp-1/usage')).status).toBe(400);
    expect(h.deps.state.snapshots.size).toBe(0);
  });

  it('takes exactly 1000 snapshots in one call', async () => {
    const h = await registered();
    const batch = Array.from({ length: 1000 }, (_, i) => snapshot({ accountId: `a${i}` }));
    const res = await h.call('POST', '/v1/partners/msp-1/usage', { body: { snapshots: batch } });
    expect(res.status).toBe(200);
    expect(h.deps.state.snapshots.size).toBe(1000);
  });
});
