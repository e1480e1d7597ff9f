// The card's calls to `api-base`: in production the vendor's own backend, which checks that the signed-in user
// may act for the partner and forwards the call signed (client/forwarding.ts); locally the API itself. Same
// paths and bodies as the API (v1). The Partner API key travels only in a request body, never in a URL.
import type {
  ConnectionTestResultView,
  ErrorView,
  MappingSyncResultView,
  MappingsView,
  PartnerView,
  ResyncAcceptedView,
  RunDetailView,
  RunListView,
} from '../../client/types';

/** An answer other than 2xx, with the API's message for a person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TIMEOUT_MS = 30_000;

export class CardApi {
  private readonly base: string;

  constructor(apiBase: string, partnerId: string) {
    this.base = `${apiBase.replace(/\/+$/, '')}/v1/partners/${encodeURIComponent(partnerId)}`;
  }

  /**
   * The partner, or undefined when it has never been connected: unknown (404), or known only by the accounts the
   * vendor registered (`not_connected`), which the card shows the same way.
   */
  async partner(): Promise<PartnerView | undefined> {
    try {
      const partner = await this.call<PartnerView>('GET', '');
      return partner.status === 'not_connected' ? undefined : partner;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  testConnection(partnerApiKey?: string): Promise<ConnectionTestResultView> {
    return this.call('POST', '/connection/test', partnerApiKey === undefined ? {} : { partnerApiKey });
  }

  saveConnection(partnerApiKey: string): Promise<PartnerView> {
    return this.call('PUT', '/connection', { partnerApiKey });
  }

  /** Resolves with Gradient's warning when the disconnect happened but Gradient could not be told. */
  async disconnect(): Promise<string | undefined> {
    const answer = await this.call<{ warning?: { message: string } } | undefined>('DELETE', '/connection');
    return answer?.warning?.message;
  }

  /** PATCH the partner's billing-health alerts (the whole setting: its threshold and priority are kept as they were). */
  setAlerts(alerts: PartnerView['alerts']): Promise<PartnerView> {
    return this.call('PATCH', '', { alerts });
  }

  syncMappings(): Promise<MappingSyncResultView> {
    return this.call('POST', '/mappings/sync');
  }

  mappings(): Promise<MappingsView> {
    return this.call('GET', '/mappings');
  }

  resync(full: boolean): Promise<ResyncAcceptedView> {
    return this.call('POST', '/resync', full ? { full: true } : {});
  }

  runs(limit = 1): Promise<RunListView> {
    return this.call('GET', `/runs?limit=${limit}`);
  }

  run(runId: string): Promise<RunDetailView> {
    return this.call('GET', `/runs/${encodeURIComponent(runId)}`);
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(method, `${this.base}${path}`, body);
  }
}

/** One call to the API (or the vendor's backend in front of it): JSON in and out, an ApiError for a non-2xx. */
export async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(
      0,
      'unreachable',
      'The integration service could not be reached. Check your connection and try again.',
    );
  }
  const text = await res.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const error = (parsed as ErrorView | undefined)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `The integration service answered ${res.status}. Try again in a few minutes.`,
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
