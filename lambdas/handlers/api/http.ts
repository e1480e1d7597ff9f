// Responses, errors and request bodies of the API handler (API Gateway REST proxy shapes).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod';
import {
  ConflictError,
  GradientError,
  GradientKeyRejectedError,
  GradientRateLimitedError,
  GradientTimeoutError,
  GradientUnreachableError,
  NotFoundError,
  ValidationError,
} from '../../core/errors';

/** Largest request body accepted (a full usage batch of 1000 snapshots is ~100 KB). */
export const MAX_BODY_BYTES = 256 * 1024;

export interface Detail {
  path: string;
  message: string;
}

/** A failure the handler answers as is; `message` must be fit for the caller (no secrets, no internals). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Detail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}

export function errorBody(code: string, message: string, details?: Detail[]) {
  return { error: { code, message, ...(details && details.length > 0 && { details }) } };
}

export function errorResponse(error: HttpError): APIGatewayProxyResult {
  return json(error.status, errorBody(error.code, error.message, error.details), error.headers);
}

/**
 * Maps the typed errors of core to HTTP. Messages of Gradient errors are replaced by our own: they come from
 * a third party and are not shown to callers. Anything unknown is a 500 with a generic message.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ValidationError) {
    return new HttpError(400, 'validation_failed', error.message, error.issues);
  }
  if (error instanceof NotFoundError) return new HttpError(404, 'not_found', error.message);
  if (error instanceof ConflictError) return new HttpError(409, error.code, error.message);
  if (error instanceof GradientKeyRejectedError) {
    return new HttpError(
      422,
      'key_rejected',
      'Gradient rejected the Partner API key. Generate a new key for this integration in Gradient Synthesize.',
    );
  }
  if (error instanceof GradientRateLimitedError) {
    const seconds = error.retryAfterMs === undefined ? 5 : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return new HttpError(
      503,
      'gradient_rate_limited',
      'Gradient is rate limiting requests; try again shortly.',
      undefined,
      {
        'retry-after': String(seconds),
      },
    );
  }
  if (error instanceof GradientTimeoutError) {
    return new HttpError(504, 'gradient_timeout', 'Gradient did not answer in time; nothing was saved, try again.');
  }
  if (error instanceof GradientUnreachableError) {
    return new HttpError(504, 'gradient_unreachable', 'Gradient could not be reached; nothing was saved, try again.');
  }
  if (error instanceof GradientError) {
    const status = error.status ? ` (${error.status})` : '';
    return new HttpError(502, 'gradient_error', `Gradient answered with an error${status}; try again later.`);
  }
  return new HttpError(500, 'internal_error', 'Internal error; the request id identifies it in the logs.');
}

const lowerKeys = (headers: Record<string, string | undefined> | null | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
};

export const headerOf = (event: APIGatewayProxyEvent, name: string): string | undefined =>
  lowerKeys(event.headers)[name.toLowerCase()];

const isJsonType = (contentType: string): boolean => {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
};

const bodyEncoding = (event: APIGatewayProxyEvent): BufferEncoding => (event.isBase64Encoded ? 'base64' : 'utf8');

/** Oversize bodies are refused before anything else, whatever the route (the handler checks this first). */
export function assertBodySize(event: APIGatewayProxyEvent, maxBytes = MAX_BODY_BYTES): void {
  const size = Buffer.byteLength(event.body ?? '', bodyEncoding(event));
  if (size > maxBytes) throw new HttpError(413, 'body_too_large', `request body exceeds ${maxBytes} bytes`);
}

/**
 * The request's JSON body, or undefined when there is none; its size was checked first (`assertBodySize`).
 * Other content types and malformed JSON are the caller's mistakes: 400 with a code that says which.
 */
export function readJsonBody(event: APIGatewayProxyEvent): unknown {
  const raw = event.body ?? '';
  if (raw === '') return undefined;
  const contentType = headerOf(event, 'content-type');
  if (!contentType || !isJsonType(contentType)) {
    throw new HttpError(400, 'unsupported_content_type', 'request body must be JSON (content-type: application/json)');
  }
  const text = Buffer.from(raw, bodyEncoding(event)).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

/** The path of a detail, dotted; the body itself is `(body)`. */
export const detailPath = (path: readonly PropertyKey[]): string => path.map(String).join('.') || '(body)';

/** What an unknown field is called in an answer: never by its name, which may be a pasted key. */
export const unknownFields = (count: number): string => (count === 1 ? 'unknown field' : `${count} unknown fields`);

/**
 * zod issues as `{path, message}`, path dotted from the given prefix. Never includes the input value, nor the
 * names of unknown fields: those are reported at the path of the object that holds them.
 */
export function zodDetails(error: z.ZodError, prefix: string[] = []): Detail[] {
  return error.issues.map((issue) => ({
    path: detailPath([...prefix, ...issue.path]),
    message: issue.code === 'unrecognized_keys' ? unknownFields(issue.keys.length) : issue.message,
  }));
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'validation_failed', `invalid ${what}`, zodDetails(result.error));
  return result.data;
}
