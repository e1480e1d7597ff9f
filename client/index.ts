// The typed client a vendor's backend uses to call this API: one method per route the console needs, request
// bodies checked with the API's own zod schemas before anything is sent, answers typed from the same schemas,
// every call SigV4-signed (signed-fetch.ts). Errors keep the API's status, code and message for a person.
import type * as z from 'zod';
import * as S from '../lambdas/handlers/api/schemas';
import { createSignedFetch, type SignedFetch, type SignedFetchOptions, type SignedRequest } from './signed-fetch';
import type * as T from './types';

export { createSignedFetch, type SignedFetch, type SignedFetchOptions, type SignedRequest } from './signed-fetch';
export type * from './types';

/** A non-2xx answer of the API. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

const partnerPath = (partnerId: string) => `/v1/partners/${encodeURIComponent(partnerId)}`;

export class GradientSyncClient {
  private readonly signedFetch: SignedFetch;

  constructor(options: SignedFetchOptions) {
    this.signedFetch = createSignedFetch(options);
  }

  getPartner(partnerId: string): Promise<T.PartnerView> {
    return this.call('GET', partnerPath(partnerId));
  }

  testConnection(partnerId: string, body: T.ConnectionTestRequest = {}): Promise<T.ConnectionTestResultView> {
    return this.call('POST', `${partnerPath(partnerId)}/connection/test`, checked(S.ConnectionTestRequest, body));
  }

  saveConnection(partnerId: string, body: T.ConnectionSave): Promise<T.PartnerView> {
    return this.call('PUT', `${partnerPath(partnerId)}/connection`, checked(S.ConnectionSave, body));
  }

  /** Undefined when Gradient was told too (204); its warning otherwise. */
  disconnect(partnerId: string): Promise<T.DisconnectWarningView | undefined> {
    return this.call('DELETE', `${partnerPath(partnerId)}/connection`);
  }

  syncMappings(partnerId: string): Promise<T.MappingSyncResultView> {
    return this.call('POST', `${partnerPath(partnerId)}/mappings/sync`);
  }

  getMappings(partnerId: string): Promise<T.MappingsView> {
    return this.call('GET', `${partnerPath(partnerId)}/mappings`);
  }

  resync(partnerId: string, body: T.ResyncRequest = {}): Promise<T.ResyncAcceptedView> {
    return this.call('POST', `${partnerPath(partnerId)}/resync`, checked(S.ResyncRequest, body));
  }

  listRuns(partnerId: string, limit?: number): Promise<T.RunListView> {
    return this.call(
      'GET',
      `${partnerPath(partnerId)}/runs`,
      undefined,
      limit === undefined ? {} : { limit: String(limit) },
    );
  }

  getRun(partnerId: string, runId: string): Promise<T.RunDetailView> {
    return this.call('GET', `${partnerPath(partnerId)}/runs/${encodeURIComponent(runId)}`);
  }

  /** The signed call itself, answer untouched: what a forwarding route relays (see forwarding.ts). */
  send(request: SignedRequest): Promise<Response> {
    return this.signedFetch(request);
  }

  private async call<R>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<R> {
    const res = await this.signedFetch({
      method,
      path,
      ...(query && { query }),
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const error = (parsed as T.ErrorView | undefined)?.error;
      throw new ApiCallError(
        res.status,
        error?.code ?? 'http_error',
        error?.message ?? `the API answered ${res.status}`,
      );
    }
    return parsed as R;
  }
}

/** The body as the API's schema reads it; a bad one throws before anything is signed or sent. */
function checked<Schema extends z.ZodType>(schema: Schema, body: z.input<Schema>): z.output<Schema> {
  return schema.parse(body);
}
