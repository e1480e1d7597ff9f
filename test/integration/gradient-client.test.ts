// The real Gradient client against the real emulator, over loopback.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import {
  createGradientClient,
  createGradientFactory,
  type GradientCall,
  gradientToken,
  parseRetryAfter,
} from '../../lambdas/adapters/gradient-client';
import {
  GradientBadRequestError,
  GradientError,
  GradientKeyRejectedError,
  GradientNotMappedError,
  GradientProtocolError,
  GradientRateLimitedError,
  GradientServerError,
  GradientTimeoutError,
  GradientUnreachableError,
} from '../../lambdas/core/errors';
import type { GradientPort } from '../../lambdas/core/ports';
import { type GradientEmulator, startGradientEmulator } from '../../local/gradient-emulator';

const VENDOR_KEY = 'vk-SECRET-vendor-0001';
const PARTNER_KEY = 'pk-SECRET-partner-0001';
const SEAT = {
  name: 'Business Seat',
  description: 'One user seat',
  category: 'security',
  subcategory: 'password management',
};

let emulator: GradientEmulator;
let calls: GradientCall[];
let orgId: string;

function client(
  overrides: { vendorApiKey?: string; partnerApiKey?: string; timeoutMs?: number; baseUrl?: string } = {},
) {
  return createGradientClient({
    baseUrl: emulator.url,
    vendorApiKey: VENDOR_KEY,
    partnerApiKey: PARTNER_KEY,
    timeoutMs: 2000,
    onCall: (c) => calls.push(c),
    ...overrides,
  });
}

async function caught(promise: Promise<unknown>): Promise<GradientError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GradientError);
    return error as GradientError;
  }
  throw new Error('expected the call to fail');
}

function expectNoKeys(text: string): void {
  for (const secret of [VENDOR_KEY, PARTNER_KEY, gradientToken(VENDOR_KEY, PARTNER_KEY)]) {
    expect(text).not.toContain(secret);
  }
}

beforeAll(async () => {
  emulator = await startGradientEmulator({ vendors: [{ vendorApiKey: VENDOR_KEY, name: 'Acme Passwords' }] });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
  calls = [];
  orgId = emulator.addPartner({
    partnerApiKey: PARTNER_KEY,
    organizationName: 'Best MSP',
    psaCompanies: ['Acme Inc'],
    psaProducts: ['Business Seat'],
  });
});

describe('gradientToken', () => {
  it('is the standard padded base64 of "vendor:partner"', () => {
    expect(gradientToken('v', 'p')).toBe('djpw');
    expect(gradientToken('ab', 'c')).toBe('YWI6Yw==');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('Gradient client happy paths', () => {
  it('reads the organization, with the initial inactive status', async () => {
    const org = await client().getOrganization();
    expect(org).toMatchObject({
      organizationId: orgId,
      name: 'Best MSP',
      vendorName: 'Acme Passwords',
      status: 'inactive',
    });
    expect(org.lastSyncedAt).toBe('1900-01-01T00:00:00.000Z');
    expect(calls).toEqual([{ route: 'GET /organization', status: 200, latencyMs: expect.any(Number) }]);
  });

  it('updates the integration status', async () => {
    await client().updateIntegrationStatus('pending');
    expect((await client().getOrganization()).status).toBe('pending');
    expect(calls[0]).toMatchObject({ route: 'PATCH /organization/status/{status}', status: 200 });
  });

  it('creates, lists and renames accounts', async () => {
    const gradient = client();
    await gradient.createAccounts([
      { id: 'acc-1', name: 'Acme Inc', description: 'first' },
      { id: 'acc/2', name: 'Other Co' },
    ]);
    await gradient.updateAccount('acc/2', { name: 'Other Company' });
    const accounts = await gradient.listAccounts();
    expect(accounts).toEqual([
      { id: 'acc-1', name: 'Acme Inc', description: 'first', isMapped: true },
      { id: 'acc/2', name: 'Other Company', description: '', isMapped: false },
    ]);
    expect(calls.map((c) => c.route)).toEqual([
      'POST /organization/accounts',
      'PATCH /organization/accounts/{id}',
      'GET /organization/accounts',
    ]);
  });

  it('creates a vendor service and lists the vendor services', async () => {
    const gradient = client();
    const afterCreate = await gradient.createVendorService(SEAT);
    expect(afterCreate).toEqual([expect.objectContaining({ name: 'Business Seat', category: 'security' })]);
    const listed = await gradient.listVendorServices();
    expect(listed).toEqual(afterCreate);
    expect(listed[0]?.id).toMatch(/^[0-9a-f]{24}$/);
    expect(calls.map((c) => [c.route, c.status])).toEqual([
      ['POST /service', 201],
      ['GET /', 200],
    ]);
  });

  it('sets a unit count and records no_build', async () => {
    const gradient = client();
    const [seat] = await gradient.createVendorService(SEAT);
    await gradient.createAccounts([{ id: 'acc-1', name: 'Acme Inc' }]);
    await gradient.setUnitCount(seat?.id ?? '', 'acc-1', 12.5, { noBuild: true });
    await gradient.setUnitCount(seat?.id ?? '', 'acc-1', 13, { noBuild: false });
    expect(emulator.counts()).toEqual([
      expect.objectContaining({ organizationId: orgId, accountId: 'acc-1', unitCount: 12.5, noBuild: true }),
      expect.objectContaining({ organizationId: orgId, accountId: 'acc-1', unitCount: 13, noBuild: false }),
    ]);
    expect(emulator.stats().builds).toBe(1);
    expect(calls.at(-1)).toMatchObject({ route: 'POST /service/{id}/count', status: 201 });
    expect((await gradient.getOrganization()).status).toBe('active');
  });

  it('splits 250 accounts into POSTs of 100, 100 and 50', async () => {
    const accounts = Array.from({ length: 250 }, (_, i) => ({ id: `a${i}`, name: `Company ${i}` }));
    await client().createAccounts(accounts);
    const posts = emulator.requestLog().filter((e) => e.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(emulator.accounts(orgId)).toHaveLength(250);
    await client().createAccounts([]);
    expect(emulator.requestLog().filter((e) => e.method === 'POST')).toHaveLength(3);
  });

  it('builds per-partner clients from a factory with a lazily resolved vendor key', async () => {
    const factory = createGradientFactory({
      baseUrl: `${emulator.url}/`,
      vendorApiKey: async () => VENDOR_KEY,
      timeoutMs: 2000,
    });
    const gradient = await factory(PARTNER_KEY);
    expect((await gradient.getOrganization()).organizationId).toBe(orgId);
  });
});

describe('Gradient client failures', () => {
  async function seatAndAccount(gradient: GradientPort): Promise<string> {
    const [seat] = await gradient.createVendorService({ ...SEAT, name: 'Unmapped Product' });
    await gradient.createAccounts([{ id: 'acc-9', name: 'Not In PSA' }]);
    return seat?.id ?? '';
  }

  it('rejects a bad partner key and a bad vendor key as GradientKeyRejectedError', async () => {
    const badPartner = await caught(client({ partnerApiKey: 'pk-wrong' }).getOrganization());
    expect(badPartner).toBeInstanceOf(GradientKeyRejectedError);
    expect(badPartner.status).toBe(401);
    expect(badPartner.retryable).toBe(false);
    const badVendor = await caught(client({ vendorApiKey: 'vk-wrong' }).listAccounts());
    expect(badVendor).toBeInstanceOf(GradientKeyRejectedError);
  });

  it('reports an unmapped line as GradientNotMappedError, then accepts it once mapped', async () => {
    const gradient = client();
    const serviceId = await seatAndAccount(gradient);
    const error = await caught(gradient.setUnitCount(serviceId, 'acc-9', 3, { noBuild: false }));
    expect(error).toBeInstanceOf(GradientNotMappedError);
    expect(error.message).toContain('No account map found with id: acc-9');
    emulator.mapAccount(PARTNER_KEY, 'acc-9');
    await expect(gradient.setUnitCount(serviceId, 'acc-9', 3, { noBuild: false })).rejects.toBeInstanceOf(
      GradientNotMappedError,
    );
    emulator.mapService(PARTNER_KEY, serviceId);
    await gradient.setUnitCount(serviceId, 'acc-9', 3, { noBuild: false });
    expect(emulator.currentCounts()).toEqual([{ organizationId: orgId, serviceId, accountId: 'acc-9', unitCount: 3 }]);
  });

  it('posts an alert with status 1 and reads its ticket back from the debug route', async () => {
    const gradient = client();
    await gradient.createAccounts([{ id: 'acc/1', name: 'Acme Inc' }]);
    const queued = await gradient.postAlert('acc/1', { title: 't', description: 'd', alertId: 'x-1', priority: 3 });
    expect(queued).toEqual({ messageId: expect.any(String), alertId: 'x-1', correlationId: expect.any(String) });
    expect(await gradient.getAlertTicket(queued.messageId)).toMatchObject({ ticketId: 'T1001', status: 'success' });
    expect(emulator.alerts()).toEqual([expect.objectContaining({ accountId: 'acc/1', priority: 3, status: 1 })]);
    expect(calls.map((c) => c.route)).toEqual([
      'POST /organization/accounts',
      'POST /alerting/{accountId}',
      'GET /alerting/debug/{messageId}',
    ]);
  });

  it('maps an alert refused for a missing Alerts module to GradientBadRequestError', async () => {
    const gradient = client();
    await gradient.createAccounts([{ id: 'acc-1', name: 'Acme Inc' }]);
    emulator.setAlertsModule(false);
    const error = await caught(
      gradient.postAlert('acc-1', { title: 't', description: 'd', alertId: 'x', priority: 1 }),
    );
    expect(error).toBeInstanceOf(GradientBadRequestError);
    expect(error.message).toContain('Alerting module is not enabled');
  });

  it('maps a 404 outside the count route to a not-found error, not a not-mapped one', async () => {
    const error = await caught(client().updateAccount('missing', { name: 'x' }));
    expect(error.name).toBe('GradientNotFoundError');
  });

  it('maps a 400 to GradientBadRequestError with Gradient’s message', async () => {
    const error = await caught(client().createVendorService({ ...SEAT, category: 'Security' }));
    expect(error).toBeInstanceOf(GradientBadRequestError);
    expect(error.message).toContain('category must be one of the following values');
    expect(error.message).toContain('POST /service');
  });

  it('reads Retry-After on an injected 429', async () => {
    emulator.injectFaults({ kind: '429', count: 1, route: 'organization' });
    const error = await caught(client().getOrganization());
    expect(error).toBeInstanceOf(GradientRateLimitedError);
    expect((error as GradientRateLimitedError).retryAfterMs).toBe(1000);
    expect(error.retryable).toBe(true);
  });

  it('answers 429 from the real rate limit past the limit', async () => {
    emulator.setRateLimit({ perSecond: 5 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client().getOrganization()));
    const limited = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(limited).toHaveLength(3);
    for (const r of limited) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(GradientRateLimitedError);
    expect(emulator.stats().rateLimited).toBe(3);
  });

  it('maps 500 and 503 to a retryable GradientServerError', async () => {
    emulator.injectFaults({ kind: '500', count: 1 });
    emulator.injectFaults({ kind: '503', count: 1 });
    const first = await caught(client().listAccounts());
    const second = await caught(client().listAccounts());
    expect([first.status, second.status]).toEqual([500, 503]);
    for (const e of [first, second]) {
      expect(e).toBeInstanceOf(GradientServerError);
      expect(e.retryable).toBe(true);
    }
    await expect(client().listAccounts()).resolves.toEqual([]);
  });

  it('gives up on a hanging server with GradientTimeoutError within the timeout', async () => {
    emulator.injectFaults({ kind: 'hang', count: 1, route: 'count' });
    const started = Date.now();
    const error = await caught(client({ timeoutMs: 200 }).setUnitCount('s', 'a', 1, { noBuild: false }));
    expect(error).toBeInstanceOf(GradientTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(calls).toEqual([{ route: 'POST /service/{id}/count', status: 'timeout', latencyMs: expect.any(Number) }]);
  });

  it('maps a reset connection to GradientUnreachableError', async () => {
    emulator.injectFaults({ kind: 'reset', count: 1 });
    const error = await caught(client().getOrganization());
    expect(error).toBeInstanceOf(GradientUnreachableError);
    expect(calls[0]?.status).toBe('network');
  });

  it('maps malformed JSON on a 2xx to GradientProtocolError', async () => {
    emulator.injectFaults({ kind: 'malformed', count: 1, route: 'accounts' });
    const error = await caught(client().listAccounts());
    expect(error).toBeInstanceOf(GradientProtocolError);
    expect(error.message).toContain('not JSON');
  });

  it('maps a refused connection to GradientUnreachableError', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const error = await caught(client({ baseUrl: `http://127.0.0.1:${port}` }).getOrganization());
    expect(error).toBeInstanceOf(GradientUnreachableError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('never puts a key or the token in an error message or an onCall route', async () => {
    const errors: GradientError[] = [];
    errors.push(await caught(client({ partnerApiKey: `${PARTNER_KEY}x` }).getOrganization()));
    emulator.injectFaults({ kind: '500', count: 1 });
    errors.push(await caught(client().getOrganization()));
    emulator.injectFaults({ kind: 'malformed', count: 1 });
    errors.push(await caught(client().getOrganization()));
    emulator.injectFaults({ kind: 'hang', count: 1 });
    errors.push(await caught(client({ timeoutMs: 100 }).getOrganization()));
    // Gradient's own message quoting the account id (here: the key) is scrubbed too.
    errors.push(await caught(client().setUnitCount('svc', PARTNER_KEY, 1, { noBuild: false })));
    errors.push(await caught(client().updateAccount(VENDOR_KEY, { name: 'x' })));
    for (const e of errors) {
      expectNoKeys(e.message);
      expectNoKeys(String(e.stack));
    }
    expect(errors.at(-2)?.message).toContain('[redacted]');
    for (const c of calls) expectNoKeys(c.route);
  });
});

describe('Gradient client wire format', () => {
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }

  /** A stub Gradient that records what it is sent and answers a fixed body. */
  async function withStub(answer: string, run: (baseUrl: string, seen: Seen[]) => Promise<void>): Promise<void> {
    const seen: Seen[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await run(`http://127.0.0.1:${port}`, seen);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    }
  }

  it('sends the token and Accept always, Content-Type only with a body, and encodes path parameters', async () => {
    await withStub('{}', async (baseUrl, seen) => {
      const gradient = client({ baseUrl });
      await gradient.updateIntegrationStatus('pending');
      await gradient.setUnitCount('svc/1', 'acc 1', 2, { noBuild: true });
      expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
        'PATCH /api/vendor-api/organization/status/pending',
        'POST /api/vendor-api/service/svc%2F1/count?no_build=true',
      ]);
      expect(seen[0]?.headers['gradient-token']).toBe(gradientToken(VENDOR_KEY, PARTNER_KEY));
      expect(seen[0]?.headers.accept).toBe('application/json');
      expect(seen[0]?.headers['content-type']).toBeUndefined();
      expect(seen[0]?.body).toBe('');
      expect(seen[1]?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ accountId: 'acc 1', unitCount: 2 });
    });
  });

  it('rejects a 2xx body of the wrong shape as GradientProtocolError', async () => {
    await withStub('[{"id":"a1","description":"no name"}]', async (baseUrl) => {
      const error = await caught(client({ baseUrl }).listAccounts());
      expect(error).toBeInstanceOf(GradientProtocolError);
      expect(error.message).toContain('name');
    });
    await withStub('{"status":200,"data":{"skus":"none"}}', async (baseUrl) => {
      await expect(client({ baseUrl }).listVendorServices()).rejects.toBeInstanceOf(GradientProtocolError);
    });
  });

  it('reads the documented account sample without isMapped as an unknown flag, not an error', async () => {
    await withStub(
      '[{"id":"a1","name":"Acme","description":"d"},{"id":"a2","name":"B","isMapped":null}]',
      async (baseUrl) => {
        expect(await client({ baseUrl }).listAccounts()).toEqual([
          { id: 'a1', name: 'Acme', description: 'd' },
          { id: 'a2', name: 'B' },
        ]);
      },
    );
  });

  it('accepts unknown fields, null optionals and Mongo _id-only skus', async () => {
    await withStub(
      '{"data":{"skus":[{"_id":"s1","name":"Seat","description":null,"logo":"x"}],"extra":1}}',
      async (baseUrl) => {
        expect(await client({ baseUrl }).listVendorServices()).toEqual([{ id: 's1', name: 'Seat' }]);
      },
    );
  });
});
