// Serves an API Gateway proxy handler over node:http on loopback, turning each request into the REST API
// (v1) proxy event Lambda would receive, so `npm run dev` runs the very handler that is deployed. Given the
// console bundle, it also serves the console's pages under /console/ (console/pages.ts), which call this API; given
// the local event bus, it lists its events at GET /__local/events.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ConsoleBundle } from '../console/build';
import { consoleReply } from '../console/pages';
import { MAX_BODY_BYTES } from '../lambdas/handlers/api/http';
import { type Headers, type LocalServer, listen, readBody, send } from './http';
import { localContext } from './lambda-context';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ApiServerOptions {
  port: number;
  host?: string;
  handler: ProxyHandler;
  maxBodyBytes?: number;
  /** Serve the console's pages under /console/ with this bundle. */
  console?: ConsoleBundle;
  /** Lists the local event bus at GET /__local/events. */
  events?: { events(): unknown[] };
  /** One line per request as it is answered: method, path (no query), status, milliseconds; never a body. */
  log?: (line: string) => void;
}

export type ApiServer = LocalServer;

const single = (headers: IncomingMessage['headers']): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
};

const multi = (headers: IncomingMessage['headers']): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v : [v];
  return out;
};

/** The REST API proxy event for one request. Like API Gateway: path still encoded, query values decoded. */
export function toProxyEvent(req: IncomingMessage, body: Buffer, requestId: string): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const hasQuery = Object.keys(query).length > 0;
  const method = (req.method ?? 'GET').toUpperCase();
  // Text bodies travel as UTF-8 strings, anything else base64 (as API Gateway does with binary media types).
  const text = body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(body);
  const proxy = url.pathname.replace(/^\//, '');
  return {
    resource: '/{proxy+}',
    path: url.pathname,
    httpMethod: method,
    headers: single(req.headers),
    multiValueHeaders: multi(req.headers),
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: proxy ? { proxy } : null,
    stageVariables: null,
    body: body.length === 0 ? null : isText ? text : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/local${url.pathname}`,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
    },
  };
}

/** The handler's result as the HTTP reply API Gateway would make of it. */
function sendResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Headers = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  send(res, result.statusCode, body, headers);
}

const plainError = (status: number, code: string, message: string): APIGatewayProxyResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error: { code, message } }),
});

/** `GET /v1/services 200 12ms` once the answer is sent. The query is left out: ids are enough to follow a flow. */
function logWhenAnswered(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): void {
  const started = process.hrtime.bigint();
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  res.once('finish', () => {
    const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    log(`${req.method ?? 'GET'} ${path} ${res.statusCode} ${ms}ms`);
  });
}

/** The API Gateway and Lambda timeout the deployed API runs under. */
const API_TIMEOUT_MS = 29_000;

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let origin = '';
  const server = await listen(
    async (req, res) => {
      if (options.log) logWhenAnswered(req, res, options.log);
      if (
        options.events &&
        req.method === 'GET' &&
        new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/__local/events'
      ) {
        req.resume();
        send(res, 200, JSON.stringify({ events: options.events.events() }), {
          'content-type': 'application/json; charset=utf-8',
        });
        return;
      }
      if (options.console) {
        const page = consoleReply(options.console, req.method ?? 'GET', new URL(req.url ?? '/', origin), origin);
        if (page) {
          req.resume();
          send(res, page.status, page.body, page.headers);
          return;
        }
      }
      const requestId = randomUUID();
      const read = await readBody(req, limit);
      if (!read.ok) {
        if (read.reason !== 'too_large' || !read.drained) res.setHeader('connection', 'close');
        sendResult(
          res,
          read.reason === 'too_large'
            ? plainError(413, 'body_too_large', `request body exceeds ${limit} bytes`)
            : plainError(400, 'bad_request', 'could not read the request body'),
        );
        return;
      }
      try {
        const event = toProxyEvent(req, read.body, requestId);
        sendResult(res, await options.handler(event, localContext('api', API_TIMEOUT_MS, requestId)));
      } catch {
        // The handler maps every error itself; reaching here means it crashed (as a Lambda error would: 502).
        sendResult(res, plainError(502, 'internal_error', 'the API handler failed'));
      }
    },
    { port: options.port, host: options.host },
  );
  origin = server.url;
  return server;
}
