// The OpenAPI document built from the route table: well formed, complete, and equal to the committed openapi.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../../../../lambdas/handlers/api/openapi';
import { apiDocument, apiRoutes } from '../../../../lambdas/handlers/api/routes';

// biome-ignore lint/suspicious/noExplicitAny: the document is walked as plain JSON
type Json = Record<string, any>;
const doc = apiDocument() as Json;

const ARCHITECTURE_ROUTES = [
  'PUT /v1/services/{serviceKey}',
  'GET /v1/services',
  'PUT /v1/partners/{partnerId}/accounts/{accountId}',
  'POST /v1/partners/{partnerId}/usage',
  'POST /v1/partners/{partnerId}/connection/test',
  'PUT /v1/partners/{partnerId}/connection',
  'DELETE /v1/partners/{partnerId}/connection',
  'GET /v1/partners/{partnerId}',
  'PATCH /v1/partners/{partnerId}',
  'POST /v1/partners/{partnerId}/mappings/sync',
  'GET /v1/partners/{partnerId}/mappings',
  'POST /v1/partners/{partnerId}/resync',
  'GET /v1/partners/{partnerId}/runs',
  'GET /v1/partners/{partnerId}/runs/{runId}',
  'GET /v1/partners/{partnerId}/statements/{period}',
  'GET /v1/partners/{partnerId}/accounts',
  'GET /v1/partners/{partnerId}/usage',
  'GET /v1/partners/{partnerId}/accounts/{accountId}/history',
  'GET /v1/partners/{partnerId}/unmapped',
  'GET /v1/partners/{partnerId}/alerts',
  'GET /v1/partners',
  'GET /openapi.json',
];

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 shaped: version, info, unique operation ids, responses on every operation', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
    const ops = Object.values(doc.paths as Json).flatMap((item) => Object.values(item as Json)) as Json[];
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
  });

  it('lists every route of the route table and nothing else', () => {
    const listed = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      Object.keys(item as Json).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual([...ARCHITECTURE_ROUTES].sort());
    expect(apiRoutes).toHaveLength(ARCHITECTURE_ROUTES.length);
  });

  it('declares every path parameter of every template, and every $ref resolves', () => {
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item as Json) as Json[]) {
        const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
        expect(declared.sort()).toEqual([...names].sort());
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty([ref]);
  });

  it('describes request bodies with the validating schemas (strict objects, Gradient enums, write-only key)', () => {
    const save = doc.components.schemas.ConnectionSave;
    expect(save.required).toEqual(['partnerApiKey']);
    expect(save.additionalProperties).toBe(false);
    expect(save.properties.partnerApiKey.writeOnly).toBe(true);
    expect(doc.components.schemas.ServiceUpsert.properties.subcategory.enum).toContain('password management');
    expect(doc.components.schemas.UsageBatch.properties.snapshots.maxItems).toBe(1000);
  });

  it('names stage roots as servers, so a generated client calls <stage root>/v1/… (never /v1/v1/…)', () => {
    expect(doc.servers.length).toBeGreaterThan(0);
    for (const server of doc.servers as Json[]) expect(server.url).not.toMatch(/\/v1\/?$|\/$/);
    expect(doc.servers[0].url).toBe('https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}');
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/(v1\/|openapi\.json$)/);
  });

  it('equals the committed openapi.json (regenerate with `npx tsx scripts/openapi.ts`)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', '..', 'openapi.json'), 'utf8');
    expect(committed).toBe(renderOpenApi(apiDocument()));
  });
});
