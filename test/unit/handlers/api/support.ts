// Drives the API handler with API Gateway REST proxy events over in-memory deps.
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createApiHandler } from '../../../../lambdas/handlers/api/app';
import { createLogger } from '../../../../lambdas/shared/observability';
import { SETTINGS } from '../../../../lambdas/shared/settings';
import type { ApiSettings } from '../../../../lambdas/wiring';
import baseEvent from '../../../fixtures/api-gateway-proxy-event.json';
import { FakeGradient, type MemoryDeps, memoryDeps } from '../../../support/memory-deps';

export const PARTNER_KEY = 'pk_live_9f3c1a7e5b2d4c6a8e0f1b3d5c7a9e2f';
export const OTHER_KEY = 'pk_live_0aa1bb2cc3dd4ee5ff6aa7bb8cc9dd0e';

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:api',
  memoryLimitInMB: '512',
  awsRequestId: 'aws-request-1',
  logGroupName: '/aws/lambda/api',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export interface EventOptions {
  body?: unknown;
  /** A raw body string, sent as is. */
  raw?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  base64?: boolean;
}

export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEvent {
  const event = structuredClone(baseEvent) as unknown as APIGatewayProxyEvent;
  const body = options.raw ?? (options.body === undefined ? null : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...event.headers,
    ...(body !== null && { 'Content-Type': 'application/json' }),
    ...options.headers,
  };
  return {
    ...event,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: { proxy: path.replace(/^\//, '') },
    queryStringParameters: options.query ?? null,
    body: body !== null && options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: Boolean(options.base64 && body !== null),
    requestContext: { ...event.requestContext, httpMethod: method, path: `/prod${path}` },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | number | boolean>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely; the schemas are checked elsewhere
  body: any;
  raw: string;
}

/** Powertools instances: silent by default; `loud` ones print everything (for tests that capture output). */
export const testLogger = (loud: boolean) =>
  createLogger({ serviceName: 'api-test', logLevel: loud ? 'DEBUG' : 'SILENT' });
export function testMetrics(loud: boolean): Metrics {
  if (loud) return new Metrics({ namespace: 'ApiTest', serviceName: 'api-test' });
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'ApiTest', serviceName: 'api-test' });
  } finally {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
}

export function harness(options: { loud?: boolean } = {}) {
  const loud = options.loud ?? false;
  const deps: MemoryDeps = memoryDeps();
  /** The API's settings at their defaults; a test may change them between calls. */
  const settings: ApiSettings = { resync: { maxClosedPeriods: SETTINGS.RESYNC_MAX_CLOSED_PERIODS.default } };
  const handler = createApiHandler(async () => ({ deps, settings }), {
    logger: testLogger(loud),
    metrics: testMetrics(loud),
  });
  const send = async (event: APIGatewayProxyEvent): Promise<Answer> => {
    const res = (await handler(event, lambdaContext)) as APIGatewayProxyResult;
    return {
      status: res.statusCode,
      headers: res.headers ?? {},
      raw: res.body,
      body: res.body ? JSON.parse(res.body) : undefined,
    };
  };
  const call = (method: string, path: string, options?: EventOptions) => send(apiEvent(method, path, options));

  /** A Gradient that accepts PARTNER_KEY (and any extra keys given). */
  const gradientFor = (key = PARTNER_KEY): FakeGradient => {
    const g = new FakeGradient();
    deps.gradients.set(key, g);
    return g;
  };

  const service = (serviceKey = 'business-seat', name = 'Business Seat') =>
    call('PUT', `/v1/services/${serviceKey}`, {
      body: {
        name,
        description: 'One seat of the business plan',
        category: 'security',
        subcategory: 'password management',
        aggregation: 'peak',
      },
    });
  const account = (partnerId: string, accountId: string, name: string, extra: Record<string, unknown> = {}) =>
    call('PUT', `/v1/partners/${partnerId}/accounts/${accountId}`, { body: { name, ...extra } });
  const save = (partnerId = 'msp-1', key = PARTNER_KEY, extra: Record<string, unknown> = {}) =>
    call('PUT', `/v1/partners/${partnerId}/connection`, { body: { partnerApiKey: key, ...extra } });

  return { deps, settings, handler, send, call, gradientFor, service, account, save };
}

/** Captures everything written to stdout/stderr (Powertools logs and EMF) while silencing it. */
export function captureOutput() {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(grab as never);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(grab as never);
  return {
    lines,
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
