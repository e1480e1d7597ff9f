// A local Gradient vendor API on 127.0.0.1 (see docs gradient-vendor-api.md §4–§6, §14): auth by GRADIENT-TOKEN,
// the documented routes and NestJS-style errors, 404 for unmapped counts, the rate limit, exact-name auto-mapping,
// disconnect and key regeneration, plus switches for latency and faults and test-only endpoints under /__emulator/.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as z from 'zod';
import {
  type AcceptedCount,
  badRequest,
  type Caller,
  type CurrentCount,
  type EmulatorAccount,
  type EmulatorPartnerConfig,
  type EmulatorService,
  type EmulatorSnapshot,
  EmulatorState,
  type EmulatorVendorConfig,
  type Reply,
} from './gradient-emulator-state';
import {
  type FaultKind,
  FaultQueue,
  type FaultSpec,
  type LatencyRange,
  type RateLimit,
  type RouteClass,
  seededRandom,
  WindowLimiter,
} from './gradient-emulator-switches';

export type {
  AcceptedCount,
  CurrentCount,
  EmulatorAccount,
  EmulatorPartnerConfig,
  EmulatorService,
  EmulatorVendorConfig,
  FaultKind,
  FaultSpec,
  LatencyRange,
  RateLimit,
};

export interface GradientEmulatorOptions {
  /** Default 0 (ephemeral). The server always binds 127.0.0.1. */
  port?: number;
  /** Default: one vendor `{vendorApiKey: 'emulator-vendor-key', name: 'Emulated Vendor'}`. */
  vendors?: EmulatorVendorConfig[];
  /** Server-wide limit; default `{perSecond: 100}` as Gradient documents; false disables it. */
  rateLimit?: RateLimit | false;
  /** Send Retry-After (whole seconds) on 429. Gradient documents none; default true. */
  retryAfterHeader?: boolean;
  /** Delay before every API answer, uniform in [min, max] ms from a seeded PRNG. */
  latencyMs?: LatencyRange;
  /** PRNG seed for latency; default 1. */
  seed?: number;
  /** Clock for timestamps and the rate-limit window (tests may pin it). */
  now?: () => Date;
  /**
   * JSON file the emulated Gradient keeps its partners, accounts, services and counts in, so a later local run
   * meets the same Gradient (partner keys are stored as SHA-256 hashes only). In memory when absent.
   */
  dataFile?: string;
}

export interface RequestLogEntry {
  method: string;
  /** Route template, e.g. `/api/vendor-api/service/:serviceId/count` (the raw path for unknown routes). */
  route: string;
  status: number | 'hang' | 'reset';
  at: string;
}

export interface EmulatorStats {
  /** API requests received (the /__emulator/ endpoints are not counted). */
  requests: number;
  /** 429s answered, by the limiter or injected. */
  rateLimited: number;
  faultsInjected: number;
  /** Accepted counts that trigger a billing rebuild (no_build absent or false). */
  builds: number;
}

export interface GradientEmulator {
  readonly url: string;
  readonly port: number;
  addVendor(config: EmulatorVendorConfig): string;
  /** Returns the organizationId. */
  addPartner(config: EmulatorPartnerConfig): string;
  regenerateKey(oldKey: string, newKey: string): void;
  revokeKey(key: string): void;
  disconnectPartner(partnerApiKey: string): void;
  mapAccount(partnerApiKey: string, accountId: string): void;
  mapService(partnerApiKey: string, serviceId: string): void;
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  setLatency(latency: LatencyRange | undefined): void;
  setRateLimit(limit: RateLimit | false): void;
  counts(): AcceptedCount[];
  currentCounts(): CurrentCount[];
  requestLog(): RequestLogEntry[];
  accounts(organizationId: string): EmulatorAccount[];
  services(): EmulatorService[];
  stats(): EmulatorStats;
  /** Back to the state right after start: configured vendors only, no partners, services, logs or faults. */
  reset(): void;
  /** Closes the server, hanging sockets included. */
  close(): Promise<void>;
}

const API = '/api/vendor-api';
const MAX_BODY_BYTES = 1_000_000;

interface Route {
  method: string;
  pattern: RegExp;
  template: string;
  routeClass: RouteClass;
  handle: (caller: Caller, params: string[], body: unknown, query: URLSearchParams) => Reply;
}

const partnerRefSchema = z.union([
  z.object({ partnerApiKey: z.string().min(1) }),
  z.object({ organizationId: z.string().min(1) }),
]);
const faultSchema = z.object({
  kind: z.enum(['429', '500', '503', 'hang', 'reset', 'malformed', '401']),
  count: z.number().int().positive(),
  route: z.enum(['count', 'accounts', 'organization', 'any']).optional(),
  afterRequests: z.number().int().nonnegative().optional(),
});
const latencySchema = z
  .object({ min: z.number().nonnegative(), max: z.number().nonnegative() })
  .refine((l) => l.max >= l.min, { message: 'max must be >= min' })
  .nullable();
const rateLimitSchema = z.union([z.object({ perSecond: z.number().int().positive() }), z.literal(false)]);
const partnerConfigSchema = z.object({
  partnerApiKey: z.string().min(1),
  organizationName: z.string().min(1),
  psaCompanies: z.array(z.string()).default([]),
  psaProducts: z.array(z.string()).default([]),
  vendorApiKey: z.string().min(1).optional(),
});

export async function startGradientEmulator(options: GradientEmulatorOptions = {}): Promise<GradientEmulator> {
  const now = options.now ?? (() => new Date());
  const vendors = options.vendors ?? [{ vendorApiKey: 'emulator-vendor-key', name: 'Emulated Vendor' }];
  const state = new EmulatorState(vendors, now);
  const { dataFile } = options;
  if (dataFile && existsSync(dataFile)) state.restore(JSON.parse(readFileSync(dataFile, 'utf8')) as EmulatorSnapshot);
  // Written synchronously after every change: a local run may stop at any moment (Ctrl-C), small data.
  const persist = () => {
    if (!dataFile) return;
    writeFileSync(`${dataFile}.tmp`, JSON.stringify(state.snapshot()));
    renameSync(`${dataFile}.tmp`, dataFile);
  };
  const limiter = new WindowLimiter(options.rateLimit ?? { perSecond: 100 });
  const faults = new FaultQueue();
  const retryAfterHeader = options.retryAfterHeader ?? true;
  let latency = options.latencyMs;
  let random = seededRandom(options.seed ?? 1);
  let log: RequestLogEntry[] = [];
  let stats: Omit<EmulatorStats, 'builds'> = { requests: 0, rateLimited: 0, faultsInjected: 0 };
  const sockets = new Set<Socket>();

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/?$/,
      template: API,
      routeClass: 'other',
      handle: (c) => state.getVendor(c),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/service\/?$/,
      template: `${API}/service`,
      routeClass: 'other',
      handle: (c, _p, body) => state.createService(c, body),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/service\/([^/]+)\/count\/?$/,
      template: `${API}/service/:serviceId/count`,
      routeClass: 'count',
      handle: (c, [serviceId], body, query) =>
        state.setCount(c, serviceId ?? '', body, query.get('no_build')?.toLowerCase() === 'true'),
    },
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/organization\/?$/,
      template: `${API}/organization`,
      routeClass: 'organization',
      handle: (c) => state.getOrganization(c),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/vendor-api\/organization\/status\/([^/]+)\/?$/,
      template: `${API}/organization/status/:status`,
      routeClass: 'organization',
      handle: (c, [status]) => state.updateStatus(c, status ?? ''),
    },
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/organization\/accounts\/?$/,
      template: `${API}/organization/accounts`,
      routeClass: 'accounts',
      handle: (c, _p, _b, query) => state.listAccounts(c, query),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/organization\/accounts\/?$/,
      template: `${API}/organization/accounts`,
      routeClass: 'accounts',
      handle: (c, _p, body) => state.createAccounts(c, body),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/vendor-api\/organization\/accounts\/([^/]+)\/?$/,
      template: `${API}/organization/accounts/:accountId`,
      routeClass: 'accounts',
      handle: (c, [accountId], body) => state.updateAccount(c, accountId ?? '', body),
    },
  ];

  function partnerOf(ref: z.infer<typeof partnerRefSchema>) {
    const partner = state.findPartner(ref);
    if (!partner) throw new ControlError(404, 'no such partner');
    return partner;
  }

  const api: Omit<GradientEmulator, 'url' | 'port' | 'close'> = {
    addVendor: (config) => state.addVendor(config),
    addPartner: (config) => state.addPartner(config),
    regenerateKey: (oldKey, newKey) => state.regenerateKey(oldKey, newKey),
    revokeKey: (key) => state.revokeKey(key),
    disconnectPartner: (key) => state.disconnectPartner(key),
    mapAccount: (key, accountId) => state.mapAccount(partnerOf({ partnerApiKey: key }), accountId),
    mapService: (key, serviceId) => state.mapService(partnerOf({ partnerApiKey: key }), serviceId),
    injectFaults: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    setLatency: (range) => {
      latency = range;
    },
    setRateLimit: (limit) => limiter.set(limit),
    counts: () => state.counts(),
    currentCounts: () => state.currentCounts(),
    requestLog: () => log.map((e) => ({ ...e })),
    accounts: (organizationId) => state.accounts(organizationId),
    services: () => state.allServices(),
    stats: () => ({ ...stats, builds: state.builds }),
    reset: () => {
      state.reset();
      faults.clear();
      limiter.set(options.rateLimit ?? { perSecond: 100 });
      latency = options.latencyMs;
      random = seededRandom(options.seed ?? 1);
      log = [];
      stats = { requests: 0, rateLimited: 0, faultsInjected: 0 };
    },
  };

  function control(method: string, path: string, body: unknown, query: URLSearchParams): Reply {
    const ok = { status: 200, body: { ok: true } };
    const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
      const parsed = schema.safeParse(value);
      // Paths only: a zod message could quote the input, and the input may hold a key.
      if (!parsed.success)
        throw new ControlError(
          400,
          `invalid body at ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`,
        );
      return parsed.data;
    };
    switch (`${method} ${path}`) {
      case 'GET /__emulator/counts':
        return { status: 200, body: { counts: api.counts(), current: api.currentCounts() } };
      case 'GET /__emulator/stats':
        return { status: 200, body: api.stats() };
      case 'GET /__emulator/requests':
        return { status: 200, body: api.requestLog() };
      case 'GET /__emulator/services':
        return { status: 200, body: api.services() };
      case 'GET /__emulator/accounts':
        return { status: 200, body: api.accounts(query.get('organizationId') ?? '') };
      case 'POST /__emulator/map-account': {
        const { accountId, ...ref } = parse(
          z.intersection(partnerRefSchema, z.object({ accountId: z.string() })),
          body,
        );
        state.mapAccount(partnerOf(ref), accountId);
        return ok;
      }
      case 'POST /__emulator/map-service': {
        const { serviceId, ...ref } = parse(
          z.intersection(partnerRefSchema, z.object({ serviceId: z.string() })),
          body,
        );
        state.mapService(partnerOf(ref), serviceId);
        return ok;
      }
      case 'POST /__emulator/faults': {
        const specs = parse(z.union([faultSchema, z.array(faultSchema)]), body);
        for (const spec of Array.isArray(specs) ? specs : [specs]) faults.add(spec);
        return { status: 200, body: { ok: true, pending: faults.pending() } };
      }
      case 'DELETE /__emulator/faults':
        faults.clear();
        return ok;
      case 'POST /__emulator/latency':
        latency = parse(latencySchema, body) ?? undefined;
        return ok;
      case 'POST /__emulator/rate-limit':
        limiter.set(parse(rateLimitSchema, body));
        return ok;
      case 'POST /__emulator/partners':
        return { status: 201, body: { organizationId: state.addPartner(parse(partnerConfigSchema, body)) } };
      case 'POST /__emulator/disconnect': {
        const partner = partnerOf(parse(partnerRefSchema, body));
        state.disconnect(partner);
        return ok;
      }
      case 'POST /__emulator/reset':
        api.reset();
        return ok;
      default:
        return notFound(method, path);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;

    if (path.startsWith('/__emulator/')) {
      const body = await readJson(req);
      let reply: Reply;
      try {
        reply = body.ok ? control(method, path, body.value, url.searchParams) : body.reply;
      } catch (error) {
        reply =
          error instanceof ControlError
            ? { status: error.status, body: { statusCode: error.status, message: error.message } }
            : {
                status: 400,
                body: { statusCode: 400, message: error instanceof Error ? error.message : 'bad request' },
              };
      }
      send(res, reply);
      return;
    }

    stats.requests++;
    let params: string[] = [];
    const route = routes.find((r) => {
      if (r.method !== method) return false;
      const m = r.pattern.exec(path);
      if (m) params = m.slice(1).map((p) => safeDecode(p));
      return m !== null;
    });
    const template = route?.template ?? path;
    const record = (status: RequestLogEntry['status']) =>
      log.push({ method, route: template, status, at: arrived.toISOString() });

    // Decisions are taken in arrival order so concurrent bursts stay deterministic.
    const waitMs = limiter.take(arrived.getTime());
    const fault = waitMs === undefined ? faults.next(route?.routeClass ?? 'other') : undefined;
    if (fault) stats.faultsInjected++;
    const body = await readJson(req);
    if (fault === 'hang') {
      record('hang');
      return; // the socket stays open until the client gives up or close() destroys it
    }
    if (latency) await sleep(latency.min + random() * (latency.max - latency.min));
    if (fault === 'reset') {
      record('reset');
      req.socket.destroy();
      return;
    }

    let reply: Reply;
    const headers: Record<string, string> = {};
    if (waitMs !== undefined || fault === '429') {
      stats.rateLimited++;
      reply = { status: 429, body: { statusCode: 429, message: 'Request limit reached' } };
      if (retryAfterHeader) headers['Retry-After'] = String(Math.max(1, Math.ceil((waitMs ?? 1000) / 1000)));
    } else if (fault === '500' || fault === '503') {
      const status = Number(fault);
      reply = {
        status,
        body: { statusCode: status, message: status === 500 ? 'Internal server error' : 'Service Unavailable' },
      };
    } else if (fault === '401') {
      reply = { status: 401, body: { statusCode: 401, message: 'Unauthorized' } };
    } else if (fault === 'malformed') {
      record(200);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"statusCode":200,"data":{"broken"');
      return;
    } else if (!route) {
      reply = notFound(method, path);
    } else {
      const caller = state.authenticate(headerValue(req.headers['gradient-token']));
      if ('status' in caller) reply = caller;
      else if (!body.ok) reply = body.reply;
      else reply = route.handle(caller, params, body.value, url.searchParams);
    }
    record(reply.status);
    if (method !== 'GET' && reply.status < 300) persist();
    send(res, reply, headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: { statusCode: 500, message: 'Internal server error' } });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    ...api,
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function notFound(method: string, path: string): Reply {
  return { status: 404, body: { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' } };
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads the body as JSON; an empty body is `undefined`. Errors come back as NestJS-style 400/413 replies. */
async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        return { ok: false, reply: { status: 413, body: { statusCode: 413, message: 'request entity too large' } } };
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    return { ok: false, reply: badRequest(['request aborted']) };
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      reply: { status: 400, body: { statusCode: 400, message: 'Unexpected token in JSON body', error: 'Bad Request' } },
    };
  }
}
