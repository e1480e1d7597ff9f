// HTTP client of Gradient's vendor API, one instance per (vendor key, partner key). It maps every failure to the
// typed errors of core/errors.ts and never retries: retrying lives in core.
import type * as z from 'zod';
import {
  GradientBadRequestError,
  type GradientError,
  GradientKeyRejectedError,
  GradientNotFoundError,
  GradientNotMappedError,
  GradientProtocolError,
  GradientRateLimitedError,
  GradientServerError,
  GradientTimeoutError,
  GradientUnreachableError,
} from '../core/errors';
import type { GradientFactory, GradientOperation, GradientPort } from '../core/ports';
import { rememberSecret } from '../shared/secret-text';
import {
  accountListSchema,
  ackSchema,
  alertQueuedSchema,
  alertTicketSchema,
  clientsSchema,
  createdAccountsSchema,
  errorBodySchema,
  organizationSchema,
  vendorDataSchema,
  vendorResponseSchema,
} from './gradient-schemas';

/** Route templates reported to `onCall`: no ids, no keys, so they are safe as metric dimensions. */
export const GRADIENT_ROUTES = {
  getOrganization: 'GET /organization',
  updateIntegrationStatus: 'PATCH /organization/status/{status}',
  listAccounts: 'GET /organization/accounts',
  createAccounts: 'POST /organization/accounts',
  updateAccount: 'PATCH /organization/accounts/{id}',
  listVendorServices: 'GET /',
  createVendorService: 'POST /service',
  setUnitCount: 'POST /service/{id}/count',
  listClientNames: 'GET /organization/clients',
  postAlert: 'POST /alerting/{accountId}',
  getAlertTicket: 'GET /alerting/debug/{messageId}',
} as const satisfies Record<GradientOperation, string>;

export type GradientRoute = (typeof GRADIENT_ROUTES)[keyof typeof GRADIENT_ROUTES];

export interface GradientCall {
  route: GradientRoute;
  status: number | 'timeout' | 'network';
  latencyMs: number;
}

export interface GradientClientOptions {
  /** e.g. https://app.usegradient.com (the client appends /api/vendor-api). */
  baseUrl: string;
  vendorApiKey: string;
  partnerApiKey: string;
  timeoutMs: number;
  onCall?: (call: GradientCall) => void;
}

/** Gradient documents no bulk limit; 100 keeps each request small and under any body-size cap. */
export const ACCOUNTS_PER_REQUEST = 100;
const MAX_MESSAGE_CHARS = 300;

/** The GRADIENT-TOKEN header value: standard base64 of "vendor:partner". */
export function gradientToken(vendorKey: string, partnerKey: string): string {
  return Buffer.from(`${vendorKey}:${partnerKey}`, 'utf8').toString('base64');
}

export function createGradientClient(options: GradientClientOptions): GradientPort {
  const apiBase = `${options.baseUrl.replace(/\/+$/, '')}/api/vendor-api`;
  const token = gradientToken(options.vendorApiKey, options.partnerApiKey);
  // Anything that could leak a secret into a message is scrubbed, whatever Gradient or the socket layer says.
  const secrets = [token, options.vendorApiKey, options.partnerApiKey].filter((s) => s.length > 0);
  // ... and log lines mask them too, wherever one ends up (a key given to test or save is never stored).
  for (const secret of secrets) rememberSecret(secret);
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out.length > MAX_MESSAGE_CHARS ? `${out.slice(0, MAX_MESSAGE_CHARS)}…` : out;
  };

  async function call<S extends z.ZodType>(
    route: GradientRoute,
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { 'GRADIENT-TOKEN': token, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const started = performance.now();
    const report = (status: GradientCall['status']) => {
      options.onCall?.({ route, status, latencyMs: Math.round(performance.now() - started) });
    };

    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(`${apiBase}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      // The timeout signal also covers reading the body, so a server that stalls mid-body times out too.
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        report('timeout');
        throw new GradientTimeoutError(`Gradient ${route} gave no answer within ${options.timeoutMs} ms`);
      }
      report('network');
      throw new GradientUnreachableError(scrub(`Gradient ${route} unreachable: ${describeNetworkError(error)}`));
    }
    report(status);

    if (status >= 200 && status < 300) {
      return parseBody(route, status, text, schema);
    }
    throw toError(route, status, text, retryAfter);
  }

  function parseBody<S extends z.ZodType>(route: GradientRoute, status: number, text: string, schema: S): z.output<S> {
    // Acknowledgement routes may answer an empty body (undocumented): treat it as an empty object.
    const raw = text.trim() === '' && (schema as z.ZodType) === ackSchema ? '{}' : text;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new GradientProtocolError(`Gradient ${route} answered ${status} with a body that is not JSON`, status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new GradientProtocolError(
        scrub(`Gradient ${route} answered ${status} with an unexpected shape: ${where}`),
        status,
      );
    }
    return parsed.data;
  }

  function toError(route: GradientRoute, status: number, text: string, retryAfter: string | null): GradientError {
    const detail = gradientMessage(text);
    const message = scrub(`Gradient ${route} answered ${status}${detail ? `: ${detail}` : ''}`);
    if (status === 401 || status === 403) return new GradientKeyRejectedError(message, status);
    if (status === 404) {
      return route === GRADIENT_ROUTES.setUnitCount
        ? new GradientNotMappedError(message, status)
        : new GradientNotFoundError(message, status);
    }
    if (status === 429) return new GradientRateLimitedError(message, parseRetryAfter(retryAfter));
    if (status >= 500) return new GradientServerError(message, status);
    return new GradientBadRequestError(message, status);
  }

  const seg = encodeURIComponent;

  return {
    async getOrganization() {
      return call(GRADIENT_ROUTES.getOrganization, 'GET', '/organization', organizationSchema);
    },
    async updateIntegrationStatus(status) {
      await call(GRADIENT_ROUTES.updateIntegrationStatus, 'PATCH', `/organization/status/${seg(status)}`, ackSchema);
    },
    async listAccounts() {
      return call(GRADIENT_ROUTES.listAccounts, 'GET', '/organization/accounts', accountListSchema);
    },
    async createAccounts(accounts) {
      for (let i = 0; i < accounts.length; i += ACCOUNTS_PER_REQUEST) {
        const chunk = accounts.slice(i, i + ACCOUNTS_PER_REQUEST);
        await call(GRADIENT_ROUTES.createAccounts, 'POST', '/organization/accounts', createdAccountsSchema, chunk);
      }
    },
    async updateAccount(accountId, patch) {
      await call(GRADIENT_ROUTES.updateAccount, 'PATCH', `/organization/accounts/${seg(accountId)}`, ackSchema, patch);
    },
    async listVendorServices() {
      const vendor = await call(GRADIENT_ROUTES.listVendorServices, 'GET', '', vendorResponseSchema);
      return vendor.data.skus;
    },
    async createVendorService(service) {
      const vendor = await call(GRADIENT_ROUTES.createVendorService, 'POST', '/service', vendorDataSchema, service);
      return vendor.skus;
    },
    async setUnitCount(serviceId, accountId, unitCount, { noBuild }) {
      const path = `/service/${seg(serviceId)}/count?no_build=${noBuild ? 'true' : 'false'}`;
      await call(GRADIENT_ROUTES.setUnitCount, 'POST', path, ackSchema, { accountId, unitCount });
    },
    async listClientNames() {
      const answer = await call(GRADIENT_ROUTES.listClientNames, 'GET', '/organization/clients', clientsSchema);
      return answer.clients;
    },
    async postAlert(accountId, alert) {
      // `status` 1 is Gradient's default (a new alert); the body carries nothing else but what the port gives.
      const body = { ...alert, status: 1 };
      return call(GRADIENT_ROUTES.postAlert, 'POST', `/alerting/${seg(accountId)}`, alertQueuedSchema, body);
    },
    async getAlertTicket(messageId) {
      return call(GRADIENT_ROUTES.getAlertTicket, 'GET', `/alerting/debug/${seg(messageId)}`, alertTicketSchema);
    },
  };
}

export interface GradientFactoryOptions {
  baseUrl: string;
  /**
   * Resolved on every partner client so a rotated vendor key is picked up (cache it in the supplier; `fresh`
   * asks it to read past its cache).
   */
  vendorApiKey: (options: { fresh: boolean }) => Promise<string> | string;
  timeoutMs: number;
  onCall?: (call: GradientCall) => void;
}

export function createGradientFactory(opts: GradientFactoryOptions): GradientFactory {
  return async (partnerApiKey, options = {}) =>
    createGradientClient({
      baseUrl: opts.baseUrl,
      vendorApiKey: await opts.vendorApiKey({ fresh: options.freshVendorKey === true }),
      partnerApiKey,
      timeoutMs: opts.timeoutMs,
      ...(opts.onCall && { onCall: opts.onCall }),
    });
}

/** Retry-After is either delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function gradientMessage(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const { message, error } = parsed.data;
      if (Array.isArray(message)) return message.join('; ');
      return message ?? error;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): fall through to a short excerpt.
  }
  return text.slice(0, 120);
}

// Duck-typed on purpose: errors raised inside Node (undici, DOMException) may come from another realm, where
// `instanceof Error` is false (under jest, for one).
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function isTimeout(error: unknown): boolean {
  const name = field(error, 'name');
  return name === 'TimeoutError' || name === 'AbortError';
}

/** fetch wraps socket errors as TypeError('fetch failed') with the real cause (code ECONNREFUSED, …) inside. */
function describeNetworkError(error: unknown): string {
  const cause = field(error, 'cause');
  const parts = [field(cause, 'code'), field(cause, 'message')].filter((p): p is string => typeof p === 'string');
  if (parts.length > 0) return parts.join(' ');
  const message = field(error, 'message');
  return typeof message === 'string' ? message : 'connection failed';
}
