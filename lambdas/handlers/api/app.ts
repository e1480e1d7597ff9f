// The API handler over any dependency supplier: one middy handler for every route of architecture §5 behind an
// API Gateway REST proxy. Thin: match the route, read and validate the request, call core, map errors to HTTP.
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AppDeps } from '../../core/ports';
import { logger as defaultLogger, powertoolsMetrics } from '../../shared/observability';
import { assertBodySize, errorResponse, HttpError, parseOrThrow, readJsonBody, toHttpError } from './http';
import { allRoutes } from './openapi';
import type { Route } from './routes';

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const compile = (route: Route): CompiledRoute => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
};

export type RouteMatch =
  | { kind: 'found'; route: Route; rawParams: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

export function createRouter(table: Route[]): (method: string, path: string) => RouteMatch {
  const compiled = table.map(compile);
  return (method, rawPath) => {
    // REST API events carry the path still percent-encoded; one trailing slash is tolerated.
    const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
    const allow: string[] = [];
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.route.method !== method.toUpperCase()) {
        allow.push(c.route.method);
        continue;
      }
      const rawParams: Record<string, string> = {};
      c.names.forEach((name, i) => {
        rawParams[name] = m[i + 1]!;
      });
      return { kind: 'found', route: c.route, rawParams };
    }
    return allow.length > 0 ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' };
  };
}

function decodeParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, 'validation_failed', 'invalid path', [
        { path: name, message: 'malformed percent-encoding' },
      ]);
    }
  }
  return out;
}

async function dispatch(
  match: Extract<RouteMatch, { kind: 'found' }>,
  event: APIGatewayProxyEvent,
  deps: () => Promise<AppDeps>,
): Promise<APIGatewayProxyResult> {
  const { route } = match;
  const params = route.params ? parseOrThrow(route.params, decodeParams(match.rawParams), 'path') : {};
  const query = route.query ? parseOrThrow(route.query, event.queryStringParameters ?? {}, 'query string') : {};
  let body: unknown;
  if (route.body) {
    const raw = readJsonBody(event);
    if (raw === undefined && route.body.required) {
      throw new HttpError(400, 'validation_failed', 'a JSON request body is required', [
        { path: '(body)', message: 'required' },
      ]);
    }
    if (route.body.validate === false) body = raw;
    else body = raw === undefined ? undefined : parseOrThrow(route.body.schema, raw, 'request body');
  }
  return route.handle({ deps, params, query, body });
}

export interface ApiHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
}

/** The handler over any dependency supplier (production deps, the local stack, or in-memory deps in tests). */
export function createApiHandler(getDeps: () => Promise<AppDeps>, options: ApiHandlerOptions = {}) {
  const log = options.logger ?? defaultLogger;
  const metrics = options.metrics ?? powertoolsMetrics;
  const router = createRouter(allRoutes);

  const serve = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId;
    const match = router(event.httpMethod ?? '', event.path ?? '');
    let response: APIGatewayProxyResult;
    try {
      // Oversize bodies are refused before anything else, whatever the route.
      assertBodySize(event);
      if (match.kind === 'not_found')
        throw new HttpError(404, 'route_not_found', `no route ${event.httpMethod} ${event.path}`);
      if (match.kind === 'method_not_allowed') {
        throw new HttpError(405, 'method_not_allowed', `${event.httpMethod} is not allowed here`, undefined, {
          allow: match.allow.join(', '),
        });
      }
      response = await dispatch(match, event, getDeps);
    } catch (error) {
      const http = toHttpError(error);
      if (http.status >= 500 && !(error instanceof HttpError)) {
        // Name and message only (never the event): the message of a typed core error carries no key.
        log.error('request failed', { requestId, error: describe(error) });
      }
      response = errorResponse(http);
    }
    const status = response.statusCode;
    response.headers = { ...response.headers, ...(requestId && { 'x-request-id': requestId }) };
    log.info('request', {
      requestId,
      method: event.httpMethod,
      route: match.kind === 'found' ? match.route.path : undefined,
      status,
      ms: Math.round(performance.now() - started),
    });
    metrics.addMetric('ApiRequests', MetricUnit.Count, 1);
    if (status >= 500) metrics.addMetric('ApiServerErrors', MetricUnit.Count, 1);
    else if (status >= 400) metrics.addMetric('ApiClientErrors', MetricUnit.Count, 1);
    return response;
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(log, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(serve);
}

function describe(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: 'non-error thrown' };
}
