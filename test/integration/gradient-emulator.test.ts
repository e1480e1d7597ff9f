// The Gradient emulator over loopback: documented behaviour, NestJS-style errors, switches and test hooks.
import { gradientToken } from '../../lambdas/adapters/gradient-client';
import { type GradientEmulator, startGradientEmulator } from '../../local/gradient-emulator';

const VENDOR_KEY = 'vk-emu-0001';
const PARTNER_KEY = 'pk-emu-0001';
const SEAT = {
  name: 'Business Seat',
  description: 'One seat',
  category: 'security',
  subcategory: 'password management',
};

const START = Date.parse('2025-03-01T10:00:00.000Z');
let clock = START;
let emulator: GradientEmulator;
let orgId: string;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON answers
  json: any;
}

async function request(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headerName?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token === undefined ? gradientToken(VENDOR_KEY, PARTNER_KEY) : options.token;
  if (token !== null) headers[options.headerName ?? 'GRADIENT-TOKEN'] = token;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(2000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const api = (path: string) => `/api/vendor-api${path}`;

async function createSeat(overrides: Partial<typeof SEAT> = {}): Promise<string> {
  const answer = await request('POST', api('/service'), { body: { ...SEAT, ...overrides } });
  expect(answer.status).toBe(201);
  return answer.json.skus.at(-1).id;
}

beforeAll(async () => {
  emulator = await startGradientEmulator({
    vendors: [{ vendorApiKey: VENDOR_KEY, name: 'Acme Passwords', vendorId: 'vendor-1' }],
    now: () => new Date(clock),
  });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  clock = START;
  emulator.reset();
  orgId = emulator.addPartner({
    partnerApiKey: PARTNER_KEY,
    organizationName: 'Best MSP',
    psaCompanies: ['Acme Inc'],
    psaProducts: ['Business Seat'],
  });
});

describe('authentication', () => {
  it('answers 401 NestJS-style for a missing token, an unknown partner and an unknown vendor', async () => {
    for (const token of [null, gradientToken(VENDOR_KEY, 'nope'), gradientToken('nope', PARTNER_KEY), 'not-base64!']) {
      const answer = await request('GET', api('/organization'), { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ statusCode: 401, message: 'Unauthorized' });
    }
  });

  it('reads the header case-insensitively and splits the token at the first colon', async () => {
    emulator.addPartner({ partnerApiKey: 'pk:with:colons', organizationName: 'Colon MSP' });
    const answer = await request('GET', api('/organization'), {
      token: gradientToken(VENDOR_KEY, 'pk:with:colons'),
      headerName: 'Gradient-Token',
    });
    expect(answer.status).toBe(200);
    expect(answer.json.name).toBe('Colon MSP');
  });

  it('rejects a partner key with another vendor’s key', async () => {
    emulator.addVendor({ vendorApiKey: 'vk-other', name: 'Other Vendor' });
    const answer = await request('GET', api('/organization'), { token: gradientToken('vk-other', PARTNER_KEY) });
    expect(answer.status).toBe(401);
  });

  it('stops accepting a revoked key', async () => {
    emulator.revokeKey(PARTNER_KEY);
    expect((await request('GET', api('/organization'))).status).toBe(401);
  });
});

describe('vendor and services', () => {
  it('answers the vendor wrapped in {status, message, data} with its skus', async () => {
    const serviceId = await createSeat();
    const answer = await request('GET', '/api/vendor-api');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 200, message: 'Success - Retrieved Vendor' });
    expect(answer.json.data).toMatchObject({ id: 'vendor-1', _id: 'vendor-1', name: 'Acme Passwords' });
    expect(answer.json.data.skus).toEqual([{ _id: serviceId, id: serviceId, ...SEAT }]);
  });

  it('answers POST /service with VendorData itself and status 201', async () => {
    const answer = await request('POST', api('/service'), { body: SEAT });
    expect(answer.status).toBe(201);
    expect(answer.json.status).toBeUndefined();
    expect(answer.json.skus).toHaveLength(1);
    expect(emulator.services()).toEqual([expect.objectContaining({ name: 'Business Seat', vendorId: 'vendor-1' })]);
  });

  it('validates the category and subcategory case-sensitively against the exact enums', async () => {
    const answer = await request('POST', api('/service'), {
      body: { name: '', category: 'Security', subcategory: 'Password Management' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('Bad Request');
    expect(answer.json.message).toEqual([
      'name should not be empty',
      'description must be a string',
      expect.stringMatching(/^category must be one of the following values: security, backup/),
      expect.stringMatching(/^subcategory must be one of the following values: endpoint detection/),
    ]);
    expect(emulator.services()).toEqual([]);
  });
});

describe('organization and status', () => {
  it('answers the flat integration data, inactive and never synced at first', async () => {
    const answer = await request('GET', api('/organization'));
    expect(answer.json).toEqual({
      organizationId: orgId,
      name: 'Best MSP',
      vendorId: 'vendor-1',
      vendorName: 'Acme Passwords',
      integrationId: expect.stringMatching(/^[0-9a-f]{24}$/),
      status: 'inactive',
      lastSyncedAt: '1900-01-01T00:00:00.000Z',
    });
  });

  it('updates the status for inactive, active and pending only', async () => {
    const ok = await request('PATCH', api('/organization/status/pending'));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      status: 200,
      message: 'Success - Updated Integration Status',
      data: { status: 'pending' },
    });
    const bad = await request('PATCH', api('/organization/status/Active'));
    expect(bad.status).toBe(400);
    expect(bad.json.message).toEqual(['status must be one of the following values: inactive, active, pending']);
    expect((await request('GET', api('/organization'))).json.status).toBe('pending');
  });
});

describe('accounts', () => {
  it('accepts one object or an array, updates existing ids and answers 201', async () => {
    const single = await request('POST', api('/organization/accounts'), { body: { id: 'a1', name: 'First' } });
    expect(single.status).toBe(201);
    expect(single.json).toEqual([{ id: 'a1', name: 'First', description: '' }]);
    await request('POST', api('/organization/accounts'), {
      body: [
        { id: 'a1', name: 'First Renamed', description: 'd' },
        { id: 'a2', name: 'Second' },
      ],
    });
    const listed = await request('GET', api('/organization/accounts'));
    expect(listed.json).toEqual([
      { id: 'a1', name: 'First Renamed', description: 'd', isMapped: false },
      { id: 'a2', name: 'Second', description: '', isMapped: false },
    ]);
  });

  it('rejects accounts without a string id or name, creating none of them', async () => {
    const answer = await request('POST', api('/organization/accounts'), {
      body: [{ id: 'ok', name: 'Fine' }, { id: 7, name: 'Numeric' }, { id: 'x' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toEqual(['1.id must be a string', '2.name must be a string']);
    expect(emulator.accounts(orgId)).toEqual([]);
  });

  it('patches an account and answers 404 for an unknown one', async () => {
    await request('POST', api('/organization/accounts'), { body: [{ id: 'a 1', name: 'Old' }] });
    const patched = await request('PATCH', api('/organization/accounts/a%201'), { body: { name: 'New' } });
    expect(patched.json).toEqual({ id: 'a 1', name: 'New', description: '' });
    const missing = await request('PATCH', api('/organization/accounts/zzz'), { body: { name: 'x' } });
    expect(missing.status).toBe(404);
  });

  it('serves the older documented account shape without isMapped when switched, mapping unchanged', async () => {
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    const shape = (body: unknown) => request('POST', '/__emulator/account-shape', { body, token: null });
    expect((await shape({ shape: 'older' })).status).toBe(200);
    expect((await request('GET', api('/organization/accounts'))).json).toEqual([
      { id: 'acme', name: 'Acme Inc', description: '' },
    ]);
    expect((await shape({ shape: 'oldest' })).status).toBe(400);
    expect(emulator.accounts(orgId)).toEqual([expect.objectContaining({ id: 'acme', isMapped: true })]);
    emulator.setAccountShape('current');
    expect((await request('GET', api('/organization/accounts'))).json).toEqual([
      { id: 'acme', name: 'Acme Inc', description: '', isMapped: true },
    ]);
    emulator.setAccountShape('older');
    emulator.reset();
    orgId = emulator.addPartner({
      partnerApiKey: PARTNER_KEY,
      organizationName: 'Best MSP',
      psaCompanies: ['Acme Inc'],
    });
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    expect((await request('GET', api('/organization/accounts'))).json[0].isMapped).toBe(true);
  });

  it('auto-maps an account only on an exact, case-sensitive PSA company name', async () => {
    await request('POST', api('/organization/accounts'), {
      body: [
        { id: 'exact', name: 'Acme Inc' },
        { id: 'dot', name: 'Acme Inc.' },
        { id: 'case', name: 'acme inc' },
      ],
    });
    const mapped = (await request('GET', api('/organization/accounts'))).json.map(
      (a: { id: string; isMapped: boolean }) => [a.id, a.isMapped],
    );
    expect(mapped).toEqual([
      ['exact', true],
      ['dot', false],
      ['case', false],
    ]);
    await request('PATCH', api('/organization/accounts/dot'), { body: { name: 'Acme Inc' } });
    expect(emulator.accounts(orgId).find((a) => a.id === 'dot')?.isMapped).toBe(true);
    const onlyMapped = await request('GET', api('/organization/accounts?returnUnmapped=false'));
    expect(onlyMapped.json.map((a: { id: string }) => a.id)).toEqual(['exact', 'dot']);
  });
});

describe('unit counts', () => {
  async function mappedLine(): Promise<string> {
    const serviceId = await createSeat();
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    return serviceId;
  }

  it('validates unitCount and accountId with class-validator wording', async () => {
    const serviceId = await mappedLine();
    const noCount = await request('POST', api(`/service/${serviceId}/count`), { body: { accountId: 'acme' } });
    expect(noCount.status).toBe(400);
    expect(noCount.json.message[0]).toMatch(/^unitCount must be a number/);
    const stringCount = await request('POST', api(`/service/${serviceId}/count`), {
      body: { accountId: 'acme', unitCount: '5' },
    });
    expect(stringCount.status).toBe(400);
    const noAccount = await request('POST', api(`/service/${serviceId}/count`), { body: { unitCount: 5 } });
    expect(noAccount.status).toBe(400);
    expect(noAccount.json.message).toEqual(['accountId must be a string']);
    expect(emulator.counts()).toEqual([]);
  });

  it('answers 404 unless both the account and the service are mapped', async () => {
    const serviceId = await mappedLine();
    const unmappedService = await createSeat({ name: 'Storage TB' });
    await request('POST', api('/organization/accounts'), { body: [{ id: 'other', name: 'Other Co' }] });
    const cases: Array<[string, string]> = [
      [serviceId, 'other'],
      [serviceId, 'ghost'],
      [unmappedService, 'acme'],
      ['000000000000000000000000', 'acme'],
    ];
    for (const [service, account] of cases) {
      const answer = await request('POST', api(`/service/${service}/count`), {
        body: { accountId: account, unitCount: 1 },
      });
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ statusCode: 404, message: `No account map found with id: ${account}` });
    }
    emulator.mapService(PARTNER_KEY, unmappedService);
    const mapped = await request('POST', api(`/service/${unmappedService}/count`), {
      body: { accountId: 'acme', unitCount: 1 },
    });
    expect(mapped.status).toBe(201);
  });

  it('records accepted counts with overwrite semantics, builds and the active status', async () => {
    const serviceId = await mappedLine();
    const first = await request('POST', api(`/service/${serviceId}/count?no_build=true`), {
      body: { accountId: 'acme', unitCount: 4 },
    });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ status: 201, message: 'Created service unit count' });
    clock += 1000;
    await request('POST', api(`/service/${serviceId}/count`), { body: { accountId: 'acme', unitCount: 2.5 } });
    expect(emulator.counts()).toEqual([
      {
        organizationId: orgId,
        serviceId,
        accountId: 'acme',
        unitCount: 4,
        noBuild: true,
        at: '2025-03-01T10:00:00.000Z',
      },
      {
        organizationId: orgId,
        serviceId,
        accountId: 'acme',
        unitCount: 2.5,
        noBuild: false,
        at: '2025-03-01T10:00:01.000Z',
      },
    ]);
    expect(emulator.currentCounts()).toEqual([{ organizationId: orgId, serviceId, accountId: 'acme', unitCount: 2.5 }]);
    expect(emulator.stats().builds).toBe(1);
    const org = (await request('GET', api('/organization'))).json;
    expect(org).toMatchObject({ status: 'active', lastSyncedAt: '2025-03-01T10:00:01.000Z' });
  });
});

describe('disconnect and key regeneration', () => {
  it('deletes the accounts and mappings on disconnect and sets the status inactive', async () => {
    const serviceId = await createSeat({ name: 'Hand Mapped' });
    emulator.mapService(PARTNER_KEY, serviceId);
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    await request('POST', api(`/service/${serviceId}/count`), { body: { accountId: 'acme', unitCount: 1 } });
    emulator.disconnectPartner(PARTNER_KEY);
    expect((await request('GET', api('/organization/accounts'))).json).toEqual([]);
    expect((await request('GET', api('/organization'))).json.status).toBe('inactive');
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    const again = await request('POST', api(`/service/${serviceId}/count`), {
      body: { accountId: 'acme', unitCount: 1 },
    });
    expect(again.status).toBe(404);
    expect(emulator.currentCounts()).toEqual([]);
    expect(emulator.counts()).toHaveLength(1);
  });

  it('keeps the accounts under a regenerated key and refuses the old one', async () => {
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    emulator.regenerateKey(PARTNER_KEY, 'pk-emu-0002');
    expect((await request('GET', api('/organization/accounts'))).status).toBe(401);
    const withNew = await request('GET', api('/organization/accounts'), {
      token: gradientToken(VENDOR_KEY, 'pk-emu-0002'),
    });
    expect(withNew.json).toEqual([{ id: 'acme', name: 'Acme Inc', description: '', isMapped: true }]);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit within one second, then opens a new window', async () => {
    emulator.setRateLimit({ perSecond: 5 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => request('GET', api('/organization'))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.json).toEqual({ statusCode: 429, message: 'Request limit reached' });
    expect(limited?.headers.get('retry-after')).toBe('1');
    expect(emulator.stats()).toMatchObject({ requests: 8, rateLimited: 3 });
    clock += 1000;
    expect((await request('GET', api('/organization'))).status).toBe(200);
  });

  it('counts a sliding second when asked: two requests late in a second still count a moment into the next', async () => {
    const statuses = async (n: number) =>
      (await Promise.all(Array.from({ length: n }, () => request('GET', api('/organization'))))).map((a) => a.status);
    const run = async (window: 'fixed' | 'sliding') => {
      emulator.setRateLimit({ perSecond: 3, window });
      clock = START;
      const first = await statuses(1);
      clock = START + 900;
      const second = await statuses(2);
      clock = START + 1000;
      return [...first, ...second, ...(await statuses(2)).sort()];
    };
    // A fixed window opened at START closes at START + 1 s: both pass. A sliding second still holds the two at
    // +900 ms, so only one more passes.
    expect(await run('fixed')).toEqual([200, 200, 200, 200, 200]);
    expect(await run('sliding')).toEqual([200, 200, 200, 200, 429]);
    // Arrival times are logged: the busiest sliding second began at +900 ms (both runs' four there and four at +1 s).
    expect(emulator.stats().busiestSlidingSecond).toBe(8);
  });

  it('can leave Retry-After out and be switched off', async () => {
    const quiet = await startGradientEmulator({
      vendors: [{ vendorApiKey: VENDOR_KEY, name: 'V' }],
      rateLimit: { perSecond: 1 },
      retryAfterHeader: false,
    });
    try {
      quiet.addPartner({ partnerApiKey: PARTNER_KEY, organizationName: 'M' });
      const get = () =>
        fetch(`${quiet.url}/api/vendor-api/organization`, {
          headers: { 'GRADIENT-TOKEN': gradientToken(VENDOR_KEY, PARTNER_KEY) },
          signal: AbortSignal.timeout(2000),
        });
      expect((await get()).status).toBe(200);
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeNull();
      quiet.setRateLimit(false);
      expect((await get()).status).toBe(200);
    } finally {
      await quiet.close();
    }
  });
});

describe('faults and latency', () => {
  it('injects faults on matching routes only, after the requested number of requests', async () => {
    emulator.injectFaults({ kind: '503', count: 2, route: 'count', afterRequests: 1 });
    const serviceId = await createSeat();
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acme', name: 'Acme Inc' }] });
    const post = () =>
      request('POST', api(`/service/${serviceId}/count`), { body: { accountId: 'acme', unitCount: 1 } });
    expect((await request('GET', api('/organization'))).status).toBe(200);
    expect([(await post()).status, (await post()).status, (await post()).status, (await post()).status]).toEqual([
      201, 503, 503, 201,
    ]);
    expect(emulator.stats().faultsInjected).toBe(2);
  });

  it('answers malformed JSON with a 2xx and 401 on demand', async () => {
    emulator.injectFaults({ kind: 'malformed', count: 1, route: 'organization' });
    emulator.injectFaults({ kind: '401', count: 1, route: 'accounts' });
    const malformed = await request('GET', api('/organization'));
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text)).toThrow();
    expect((await request('GET', api('/organization/accounts'))).status).toBe(401);
    expect((await request('GET', api('/organization/accounts'))).status).toBe(200);
  });

  it('delays answers by the configured latency', async () => {
    emulator.setLatency({ min: 60, max: 80 });
    const started = performance.now();
    await request('GET', api('/organization'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('closes hanging sockets on close()', async () => {
    const hanging = await startGradientEmulator({ vendors: [{ vendorApiKey: VENDOR_KEY, name: 'V' }] });
    hanging.injectFaults({ kind: 'hang', count: 1 });
    const pending = fetch(`${hanging.url}/api/vendor-api/organization`, { signal: AbortSignal.timeout(5000) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hanging.requestLog()).toEqual([expect.objectContaining({ status: 'hang' })]);
    const started = performance.now();
    await hanging.close();
    await expect(pending).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('routing and inspection', () => {
  it('answers unknown routes 404 NestJS-style', async () => {
    const answer = await request('GET', '/x');
    expect(answer.json).toEqual({ statusCode: 404, message: 'Cannot GET /x', error: 'Not Found' });
    const wrongMethod = await request('DELETE', api('/organization/accounts/a1'));
    expect(wrongMethod.json.message).toBe('Cannot DELETE /api/vendor-api/organization/accounts/a1');
  });

  it('logs every request with its route template and status', async () => {
    await request('POST', api('/service/abc/count'), { body: { accountId: 'a', unitCount: 1 } });
    await request('GET', api('/organization'), { token: null });
    expect(emulator.requestLog()).toEqual([
      {
        method: 'POST',
        route: '/api/vendor-api/service/:serviceId/count',
        status: 404,
        at: '2025-03-01T10:00:00.000Z',
      },
      { method: 'GET', route: '/api/vendor-api/organization', status: 401, at: '2025-03-01T10:00:00.000Z' },
    ]);
  });
});

describe('test-only HTTP endpoints', () => {
  it('adds partners, maps, injects faults and reports without a token and without echoing keys', async () => {
    const seen: string[] = [];
    const control = async (method: string, path: string, body?: unknown) => {
      const answer = await request(method, `/__emulator/${path}`, { body, token: null });
      seen.push(answer.text);
      return answer;
    };
    const added = await control('POST', 'partners', {
      partnerApiKey: 'pk-http-1',
      organizationName: 'HTTP MSP',
      psaCompanies: [],
      psaProducts: [],
    });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({ organizationId: expect.any(String) });
    const token = gradientToken(VENDOR_KEY, 'pk-http-1');
    const created = await request('POST', api('/service'), { body: SEAT, token });
    const serviceId = created.json.skus[0].id;
    await request('POST', api('/organization/accounts'), { body: [{ id: 'h1', name: 'Nobody' }], token });

    expect(
      (await control('POST', 'map-account', { organizationId: added.json.organizationId, accountId: 'h1' })).status,
    ).toBe(200);
    expect((await control('POST', 'map-service', { partnerApiKey: 'pk-http-1', serviceId })).status).toBe(200);
    expect((await control('POST', 'map-account', { partnerApiKey: 'pk-unknown', accountId: 'h1' })).status).toBe(404);
    expect((await control('POST', 'faults', { kind: 'nope', count: 1 })).status).toBe(400);
    expect((await control('POST', 'latency', { min: 0, max: 1 })).status).toBe(200);
    expect((await control('POST', 'faults', { kind: '500', count: 1, route: 'count' })).json).toEqual({
      ok: true,
      pending: 1,
    });

    const post = () =>
      request('POST', api(`/service/${serviceId}/count`), { body: { accountId: 'h1', unitCount: 9 }, token });
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(201);

    const counts = await control('GET', 'counts');
    expect(counts.json.counts).toEqual([expect.objectContaining({ accountId: 'h1', unitCount: 9, noBuild: false })]);
    expect(counts.json.current).toEqual([
      {
        organizationId: added.json.organizationId,
        organizationName: 'HTTP MSP',
        accountId: 'h1',
        accountName: 'Nobody',
        serviceId,
        serviceName: SEAT.name,
        unitCount: 9,
      },
    ]);
    expect(counts.json.counts[0]).toMatchObject({
      organizationName: 'HTTP MSP',
      accountName: 'Nobody',
      serviceName: SEAT.name,
    });
    expect((await control('GET', 'stats')).json).toEqual({
      requests: 4,
      rateLimited: 0,
      faultsInjected: 1,
      builds: 1,
      busiestSlidingSecond: 4,
    });
    expect((await control('POST', 'partners', { partnerApiKey: 'pk-http-1', organizationName: 'Dup' })).status).toBe(
      400,
    );
    expect((await control('GET', 'nothing-here')).status).toBe(404);
    for (const text of seen) {
      expect(text).not.toContain('pk-http-1');
      expect(text).not.toContain(VENDOR_KEY);
    }
  });
});

describe('alerting', () => {
  const alert = { title: 'Unbilled usage', description: 'Acme has usage', alertId: 'a-1', priority: 2 };
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Answer['json'] }));

  beforeEach(async () => {
    await request('POST', api('/organization/accounts'), { body: [{ id: 'acc-1', name: 'Acme Inc' }] });
  });

  it('queues an alert on an account and answers {messageId, alertId, correlationID}', async () => {
    const answer = await request('POST', api('/alerting/acc-1'), { body: alert });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      messageId: expect.any(String),
      alertId: 'a-1',
      correlationID: expect.any(String),
    });
    const ticket = await request('GET', api(`/alerting/debug/${answer.json.messageId}`));
    expect(ticket.status).toBe(200);
    expect(ticket.json).toMatchObject({ messageId: answer.json.messageId, ticketId: 'T1001', status: 'success' });
    const listed = await control('GET', 'alerts');
    expect(listed.json.alerts).toEqual([
      expect.objectContaining({
        organizationId: orgId,
        organizationName: 'Best MSP',
        accountId: 'acc-1',
        accountName: 'Acme Inc',
        alertId: 'a-1',
        priority: 2,
        status: 1,
        ticketId: 'T1001',
      }),
    ]);
  });

  it('answers 400 with the problems for a body without title, description or alertId, or a priority past 4', async () => {
    const answer = await request('POST', api('/alerting/acc-1'), { body: { title: '', priority: 5 } });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toEqual(
      expect.arrayContaining(['title should not be empty', 'description must be a string', 'alertId must be a string']),
    );
    expect(answer.json.message.some((m: string) => m.startsWith('priority'))).toBe(true);
    expect(emulator.alerts()).toEqual([]);
  });

  it('refuses alerts with 400 while the Alerts module is off, and takes them once it is on again', async () => {
    expect((await control('POST', 'alerts-module', { enabled: false })).status).toBe(200);
    const refused = await request('POST', api('/alerting/acc-1'), { body: alert });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ statusCode: 400, message: 'Alerting module is not enabled for this organization' });
    expect(emulator.alerts()).toEqual([]);
    emulator.setAlertsModule(true);
    expect((await request('POST', api('/alerting/acc-1'), { body: alert })).status).toBe(201);
  });

  it('answers 404 for an account it does not know and for an unknown messageId', async () => {
    expect((await request('POST', api('/alerting/nobody'), { body: alert })).status).toBe(404);
    expect((await request('GET', api('/alerting/debug/nope'))).status).toBe(404);
  });

  it('injects faults on the alerting route only when asked for it', async () => {
    emulator.injectFaults({ kind: '500', count: 1, route: 'alerting' });
    expect((await request('GET', api('/organization'))).status).toBe(200);
    expect((await request('POST', api('/alerting/acc-1'), { body: alert })).status).toBe(500);
    expect((await request('POST', api('/alerting/acc-1'), { body: alert })).status).toBe(201);
  });

  it('records every alert it receives, a repeated alertId too, so a second ticket would show', async () => {
    await request('POST', api('/alerting/acc-1'), { body: alert });
    await request('POST', api('/alerting/acc-1'), { body: alert });
    expect(emulator.alerts().map((a) => a.ticketId)).toEqual(['T1001', 'T1002']);
  });
});
