// The Gradient emulator's transport: the documented vendor API routes (GRADIENT-TOKEN auth, request checks,
// state results mapped to Gradient's statuses and bodies), the switches applied in arrival order (rate limit,
// faults, latency), the request log, and the hand-off of /__emulator/ requests to the control plane.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http';
import type { EmulatorControlPlane } from './control';
import type { Caller } from './model';
import { badRequest, failure, notFound, ok, type Reply } from './replies';
import {
  accountFilter,
  type Checked,
  checkAccountPatch,
  checkAccounts,
  checkAlert,
  checkCount,
  checkService,
  checkStatus,
} from './requests';
import type { EmulatorState } from './state';
import type { RouteClass, Switches } from './switches';
import type { RequestLogEntry, Traffic } from './traffic';

const API = '/api/vendor-api';
const MAX_BODY_BYTES = 1_000_000;

interface Route {
  method: string;
  pattern: RegExp;
  template: string;
  routeClass: RouteClass;
  handle: (caller: Caller, params: string[], body: unknown, query: URLSearchParams) => Reply;
}

/** The state's answer to a checked request, or the 400 for its problems. */
const checked = <T>(input: Checked<T>, answer: (value: T) => Reply): Reply =>
  input.ok ? answer(input.value) : badRequest(input.problems);

function apiRoutes(state: EmulatorState, switches: Switches): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/?$/,
      template: API,
      routeClass: 'other',
      handle: (c) => ok({ status: 200, message: 'Success - Retrieved Vendor', data: state.vendorData(c) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/service\/?$/,
      template: `${API}/service`,
      routeClass: 'other',
      handle: (c, _p, body) => checked(checkService(body), (input) => ok(state.createService(c, input), 201)),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/service\/([^/]+)\/count\/?$/,
      template: `${API}/service/:serviceId/count`,
      routeClass: 'count',
      handle: (c, [serviceId], body, query) =>
        checked(checkCount(body, query.get('no_build')?.toLowerCase() === 'true'), (input) =>
          state.setCount(c, serviceId ?? '', input).kind === 'accepted'
            ? ok({ status: 201, message: 'Created service unit count' }, 201)
            : failure(404, `No account map found with id: ${input.accountId}`),
        ),
    },
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/organization\/?$/,
      template: `${API}/organization`,
      routeClass: 'organization',
      handle: (c) => ok(state.integrationData(c)),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/vendor-api\/organization\/status\/([^/]+)\/?$/,
      template: `${API}/organization/status/:status`,
      routeClass: 'organization',
      handle: (c, [status]) =>
        checked(checkStatus(status ?? ''), (input) =>
          ok({ data: state.updateStatus(c, input), status: 200, message: 'Success - Updated Integration Status' }),
        ),
    },
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/organization\/accounts\/?$/,
      template: `${API}/organization/accounts`,
      routeClass: 'accounts',
      handle: (c, _p, _b, query) => {
        const accounts = state.listAccounts(c, accountFilter(query));
        // The older shape is Gradient's documented sample: the flag exists, it is just not reported.
        return ok(switches.accountShape === 'older' ? accounts.map(({ isMapped: _, ...a }) => a) : accounts);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/organization\/clients\/?$/,
      template: `${API}/organization/clients`,
      routeClass: 'clients',
      handle: (c, _p, _b, query) => ok({ meta: {}, clients: state.listClients(c, query.get('search') ?? undefined) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/organization\/accounts\/?$/,
      template: `${API}/organization/accounts`,
      routeClass: 'accounts',
      handle: (c, _p, body) => checked(checkAccounts(body), (input) => ok(state.createAccounts(c, input), 201)),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/vendor-api\/organization\/accounts\/([^/]+)\/?$/,
      template: `${API}/organization/accounts/:accountId`,
      routeClass: 'accounts',
      handle: (c, [accountId = ''], body) =>
        checked(checkAccountPatch(body), (patch) => {
          const result = state.updateAccount(c, accountId, patch);
          if (result.kind === 'not_found') return failure(404, `No account found with id: ${accountId}`);
          if (result.kind === 'id_taken') return failure(409, 'A resource with this Id already exists.');
          return ok(result.account);
        }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/vendor-api\/alerting\/([^/]+)\/?$/,
      template: `${API}/alerting/:accountId`,
      routeClass: 'alerting',
      handle: (c, [accountId = ''], body) =>
        checked(checkAlert(body), (input) => {
          const result = state.postAlert(c, accountId, input, { alerts: switches.alertsModule });
          if (result.kind === 'module_off') return failure(400, 'Alerting module is not enabled for this organization');
          if (result.kind === 'no_account') return failure(404, `No account found with id: ${accountId}`);
          const { messageId, alertId, correlationID } = result.alert;
          return ok({ messageId, alertId, correlationID }, 201);
        }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/vendor-api\/alerting\/debug\/([^/]+)\/?$/,
      template: `${API}/alerting/debug/:messageId`,
      routeClass: 'alerting',
      handle: (c, [messageId = '']) => {
        const alert = state.findAlert(c, messageId);
        if (!alert) return failure(404, `No alert found with messageId: ${messageId}`);
        const { ticketId, at: createdAt } = alert;
        return ok({ messageId, ticketId, createdAt, status: 'success', statusCode: 201, message: 'Ticket created' });
      },
    },
  ];
}

/** GRADIENT-TOKEN = base64("vendorKey:partnerKey"); split at the first ':' since keys may not contain one. */
function callerOf(state: EmulatorState, token: string | undefined): Caller | undefined {
  if (!token) return undefined;
  const decoded = Buffer.from(token.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return state.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
}

export interface ServerDeps {
  state: EmulatorState;
  switches: Switches;
  traffic: Traffic;
  control: EmulatorControlPlane;
  retryAfterHeader: boolean;
  now: () => Date;
  /** Called after every successful change made through the API. */
  persist: () => void;
}

/** The node:http request handler of the emulator. */
export function requestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { state, switches, traffic, control, now } = deps;
  const routes = apiRoutes(state, switches);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;

    if (path.startsWith('/__emulator/')) {
      const body = await readJson(req);
      send(res, body.ok ? control.route(method, path, body.value, url.searchParams) : body.reply);
      return;
    }

    traffic.stats.requests++;
    let params: string[] = [];
    const route = routes.find((r) => {
      if (r.method !== method) return false;
      const m = r.pattern.exec(path);
      if (m) params = m.slice(1).map((p) => safeDecode(p));
      return m !== null;
    });
    const template = route?.template ?? path;
    const record = (status: RequestLogEntry['status']) =>
      traffic.record({ method, route: template, status, at: arrived.toISOString() });

    // Decisions are taken in arrival order so concurrent bursts stay deterministic.
    const waitMs = switches.limiter.take(arrived.getTime());
    const fault = waitMs === undefined ? switches.faults.next(route?.routeClass ?? 'other') : undefined;
    if (fault) traffic.stats.faultsInjected++;
    const body = await readJson(req);
    if (fault === 'hang') {
      record('hang');
      return; // the socket stays open until the client gives up or close() destroys it
    }
    const delay = switches.delayMs();
    if (delay !== undefined) await sleep(delay);
    if (fault === 'reset') {
      record('reset');
      req.socket.destroy();
      return;
    }

    let reply: Reply;
    const headers: Record<string, string> = {};
    if (waitMs !== undefined || fault === '429') {
      traffic.stats.rateLimited++;
      reply = failure(429, 'Request limit reached');
      if (deps.retryAfterHeader) headers['Retry-After'] = String(Math.max(1, Math.ceil((waitMs ?? 1000) / 1000)));
    } else if (fault === '500') {
      reply = failure(500, 'Internal server error');
    } else if (fault === '503') {
      reply = failure(503, 'Service Unavailable');
    } else if (fault === '401') {
      reply = failure(401, 'Unauthorized');
    } else if (fault === 'malformed') {
      record(200);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"statusCode":200,"data":{"broken"');
      return;
    } else if (!route) {
      reply = notFound(method, path);
    } else {
      const caller = callerOf(state, headerValue(req.headers['gradient-token']));
      if (!caller) reply = failure(401, 'Unauthorized');
      else if (!body.ok) reply = body.reply;
      else reply = route.handle(caller, params, body.value, url.searchParams);
    }
    record(reply.status);
    if (method !== 'GET' && reply.status < 300) deps.persist();
    send(res, reply, headers);
  }

  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, failure(500, 'Internal server error'));
    });
  };
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  sendJson(res, reply.status, reply.body, undefined, headers);
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
  const read = await readBody(req, MAX_BODY_BYTES);
  if (!read.ok) {
    return {
      ok: false,
      reply: read.reason === 'too_large' ? failure(413, 'request entity too large') : badRequest(['request aborted']),
    };
  }
  const text = read.body.toString('utf8');
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
