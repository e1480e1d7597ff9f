// API Gateway's resource tree is the API's route table, read from openapi.json (the document `npm run
// openapi:check` keeps equal to the handler's routes): each documented path is a resource and each documented
// operation a method, so a method throttle and the access log's resourcePath can name a route. Every resource
// also has ANY and, where it has no path-variable child, a `{proxy+}` child with ANY, so any other method or path
// still reaches the handler, which answers the documented 405 / 404 (API Gateway would say 403 without them).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import { PROJECT_ROOT } from './functions';

export type RouteKey = `${'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'} /${string}`;

const OPERATIONS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** `METHOD /path` of every documented operation. */
export function documentedRoutes(
  file = path.join(PROJECT_ROOT, 'openapi.json'),
): { method: string; path: string; key: RouteKey }[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    OPERATIONS.filter((op) => item[op] !== undefined).map((op) => {
      const method = op.toUpperCase();
      return { method, path: p, key: `${method} ${p}` as RouteKey };
    }),
  );
}

/** Builds the tree under `api.root`; returns the method of each route, by `METHOD /path`. */
export function addRoutes(api: apigw.RestApi, integration: apigw.Integration): Map<RouteKey, apigw.Method> {
  const methods = new Map<RouteKey, apigw.Method>();
  const resources = new Set<apigw.IResource>([api.root]);
  for (const route of documentedRoutes()) {
    const resource = api.root.resourceForPath(route.path);
    for (let r: apigw.IResource | undefined = resource; r; r = r.parentResource) resources.add(r);
    methods.set(route.key, resource.addMethod(route.method, integration));
  }
  for (const resource of resources) {
    resource.addMethod('ANY', integration);
    const parts = resource.node.children.flatMap((c) => ('path' in c ? [String(c.path).split('/').at(-1)!] : []));
    if (!parts.some((part) => part.startsWith('{'))) resource.addProxy({ defaultIntegration: integration });
  }
  return methods;
}
