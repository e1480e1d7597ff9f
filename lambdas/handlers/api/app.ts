// The API handler over any dependency supplier: one middy handler for every route of the route table behind an
// API Gateway REST proxy. Thin: refuse oversize bodies, let the router match and validate, map errors to HTTP;
// one log line, the request id and the request metrics for every answer.
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger as defaultLogger, powertoolsMetrics } from '../../shared/observability';
import type { ApiProcess } from '../../wiring';
import { assertBodySize, errorResponse, HttpError, toHttpError } from './http';
import { createRouter, dispatch } from './router';
import { apiRoutes } from './routes';

export interface ApiHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
}

/** The handler over any process supplier (production's, the local stack's, or in-memory deps in tests). */
export function createApiHandler(getProcess: () => Promise<ApiProcess>, options: ApiHandlerOptions = {}) {
  const log = options.logger ?? defaultLogger;
  const metrics = options.metrics ?? powertoolsMetrics;
  const router = createRouter(apiRoutes);

  const serve = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId;
    const match = router(event.httpMethod ?? '', event.path ?? '');
    let response: APIGatewayProxyResult;
    try {
      assertBodySize(event);
      if (match.kind === 'not_found')
        throw new HttpError(404, 'route_not_found', `no route ${event.httpMethod} ${event.path}`);
      if (match.kind === 'method_not_allowed') {
        throw new HttpError(405, 'method_not_allowed', `${event.httpMethod} is not allowed here`, undefined, {
          allow: match.allow.join(', '),
        });
      }
      response = await dispatch(match, event, getProcess);
    } catch (error) {
      const http = toHttpError(error);
      if (http.status >= 500 && !(error instanceof HttpError)) {
        // Name and message only (never the event): the message of a typed core error carries no key.
        log.error('request failed', { requestId, error: errorSummary(error) });
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

  return (
    middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it may carry a key.
      .use(injectLambdaContext(log, { resetKeys: true, logEvent: false }))
      .use(logMetrics(metrics))
      .handler(serve)
  );
}

function errorSummary(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: 'non-error thrown' };
}
