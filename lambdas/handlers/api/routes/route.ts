// What a route of the HTTP API is: how it is matched, what it validates, how it is served and documented. The
// router serves these and the OpenAPI document describes them; neither knows of the other.
import type { APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod';
import type { AppDeps } from '../../../core/ports';
import type { ApiSettings } from '../../../wiring';
import { json } from '../http';
import { ErrorView } from '../schemas';

export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteContext<P, Q, B, H = Record<string, never>> {
  deps: () => Promise<AppDeps>;
  settings: () => Promise<ApiSettings>;
  params: P;
  query: Q;
  body: B;
  /** The request headers the route declares, by their declared names (matched case-insensitively). */
  headers: H;
}

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Also served as CSV text (`text/csv`), chosen by the request. */
  csv?: boolean;
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** OpenAPI path template, e.g. `/v1/partners/{partnerId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers, keyed by their canonical names (e.g. `Idempotency-Key`). */
  headers?: z.ZodObject;
  /** `validate: false` hands the route the parsed JSON as is (it validates itself, e.g. to merge problems). */
  body?: { schema: z.ZodType; required: boolean; validate?: boolean };
  responses: Record<number, ResponseDoc>;
  handle(ctx: RouteContext<P, Q, B, unknown>): Promise<APIGatewayProxyResult>;
}

/** Infers params/query/body types from the schemas given, so handlers are type-checked against them. */
export function route<
  PS extends z.ZodObject | undefined = undefined,
  QS extends z.ZodObject | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  HS extends z.ZodObject | undefined = undefined,
>(
  def: Omit<Route, 'params' | 'query' | 'headers' | 'body' | 'handle'> & {
    params?: PS;
    query?: QS;
    headers?: HS;
    body?: { schema: NonNullable<BS>; required: boolean; validate?: boolean };
    handle(
      ctx: RouteContext<
        PS extends z.ZodObject ? z.output<PS> : Record<string, never>,
        QS extends z.ZodObject ? z.output<QS> : Record<string, never>,
        BS extends z.ZodType ? z.output<BS> : undefined,
        HS extends z.ZodObject ? z.output<HS> : Record<string, never>
      >,
    ): Promise<APIGatewayProxyResult>;
  },
): Route {
  return def as unknown as Route;
}

/** The error answers routes document, each once. */
export const errorDocs = {
  badRequest: { description: 'Invalid input (fields, JSON, content type)', schema: ErrorView },
  notFound: { description: 'Unknown partner or run', schema: ErrorView },
  conflict: { description: 'The partner is not connected', schema: ErrorView },
  keyRejected: { description: 'Gradient rejected the Partner API key', schema: ErrorView },
  badGateway: { description: 'Gradient answered with an error', schema: ErrorView },
  rateLimited: { description: 'Gradient is rate limiting (see Retry-After)', schema: ErrorView },
  timeout: { description: 'Gradient did not answer in time or could not be reached', schema: ErrorView },
} satisfies Record<string, ResponseDoc>;

/** The answers of a route that calls Gradient with the partner's key. */
export const gradientErrorDocs = {
  422: errorDocs.keyRejected,
  502: errorDocs.badGateway,
  503: errorDocs.rateLimited,
  504: errorDocs.timeout,
};

/** The answers of a create-or-replace route: 201 with what was created, 200 with what was replaced. */
export const upsertDocs = (schema: z.ZodType) => ({
  200: { description: 'Updated', schema },
  201: { description: 'Created', schema },
  400: errorDocs.badRequest,
});

export const upserted = (created: boolean, body: unknown): APIGatewayProxyResult => json(created ? 201 : 200, body);
