// Matches a request to a route of a table and reads what the route declares: path parameters (decoded once),
// the query string, headers and the JSON body, each validated by the route's schemas before the route is called.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod';
import type { ApiProcess } from '../../wiring';
import { HttpError, parseOrThrow, readJsonBody } from './http';
import type { Route } from './routes/route';

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

export function createRouter(table: readonly Route[]): (method: string, path: string) => RouteMatch {
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

/** Validates what the matched route declares and calls it. */
export async function dispatch(
  match: Extract<RouteMatch, { kind: 'found' }>,
  event: APIGatewayProxyEvent,
  process: () => Promise<ApiProcess>,
): Promise<APIGatewayProxyResult> {
  const { route } = match;
  const params = route.params ? parseOrThrow(route.params, decodeParams(match.rawParams), 'path') : {};
  const query = route.query ? parseOrThrow(route.query, event.queryStringParameters ?? {}, 'query string') : {};
  const headers = route.headers ? parseOrThrow(route.headers, declaredHeaders(route.headers, event), 'headers') : {};
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
  // Built only once the request is valid: a rejected request never touches the dependencies.
  const deps = async () => (await process()).deps;
  const settings = async () => (await process()).settings;
  return route.handle({ deps, settings, params, query, body, headers });
}

/** The declared headers of a request under their declared names: HTTP header names are case-insensitive. */
function declaredHeaders(schema: z.ZodObject, event: APIGatewayProxyEvent): Record<string, string> {
  const sent = new Map(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const out: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = sent.get(name.toLowerCase());
    if (value !== undefined && value !== null) out[name] = value;
  }
  return out;
}
