// The OpenAPI 3.1 document of a route table, generated from its routes and the zod schemas that validate
// requests. The table is given: this module describes routes, it does not choose them.
import * as z from 'zod';
import type { Route } from './routes/route';
import { apiSchemas } from './schemas';

export const API_VERSION = '1.0.0';

type Json = Record<string, unknown>;
export type OpenApiDocument = Json;

const COMPONENT_PREFIX = '#/components/schemas/';

// The document's schemas speak JSON Schema 2020-12, the dialect of OpenAPI 3.1; `$schema`/`$id` per component
// would only repeat that.
function strip(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

const inline = (schema: z.ZodType): Json =>
  strip(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json);

function ref(schema: z.ZodType): Json {
  const meta = apiSchemas.get(schema);
  if (!meta) throw new Error('every request and response body schema must be registered in apiSchemas');
  return { $ref: `${COMPONENT_PREFIX}${meta.id}` };
}

function parameters(r: Route): Json[] {
  const out: Json[] = [];
  const add = (where: 'path' | 'query' | 'header', shape: z.ZodObject | undefined) => {
    for (const [name, field] of Object.entries(shape?.shape ?? {})) {
      const schema = field as z.ZodType;
      const required = where === 'path' || !schema.safeParse(undefined).success;
      out.push({ name, in: where, required, schema: inline(schema) });
    }
  };
  add('path', r.params);
  add('query', r.query);
  add('header', r.headers);
  return out;
}

function operation(r: Route): Json {
  const responses: Json = {};
  for (const [status, doc] of Object.entries(r.responses)) {
    responses[status] = {
      description: doc.description,
      ...(doc.schema && {
        content: {
          'application/json': { schema: ref(doc.schema) },
          ...(doc.csv && { 'text/csv': { schema: { type: 'string' } } }),
        },
      }),
    };
  }
  // Every route that reads a body refuses one over MAX_BODY_BYTES the same way, before its own checks.
  if (r.body) {
    responses['413'] ??= {
      description: 'Request body too large',
      content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}Error` } } },
    };
  }
  responses['500'] ??= {
    description: 'Internal error',
    content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}Error` } } },
  };
  const params = parameters(r);
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description && { description: r.description }),
    tags: [r.tag],
    ...(params.length > 0 && { parameters: params }),
    ...(r.body && {
      requestBody: { required: r.body.required, content: { 'application/json': { schema: ref(r.body.schema) } } },
    }),
    responses,
  };
}

/** The document describing `table`. */
export function openApiDocument(table: readonly Route[]): OpenApiDocument {
  const converted = z.toJSONSchema(apiSchemas, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
  }) as { schemas: Record<string, Json> };
  const schemas: Record<string, Json> = {};
  for (const id of Object.keys(converted.schemas).sort()) schemas[id] = strip(converted.schemas[id] as Json);

  const paths: Record<string, Json> = {};
  for (const r of [...table].sort((a, b) => a.path.localeCompare(b.path))) {
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: operation(r) };
  }

  return {
    openapi: '3.1.1',
    info: {
      title: 'gradient-billing-sync API',
      version: API_VERSION,
      description:
        'The vendor console\'s API for the Gradient MSP billing integration: catalog, accounts and usage intake; test, save and disconnect a partner\'s Gradient connection; sync mappings; resync and run history. Errors are `{"error":{"code","message","details?"}}`. The Partner API key is accepted in request bodies only and never returned.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    // Server URLs are stage roots and every path carries its `/v1`, so a client calls `<stage root>/v1/…`.
    servers: [
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: "A deployed stage: the stack's `ApiUrl` output (requests signed with SigV4)",
        variables: {
          restApiId: { default: 'abcde12345', description: 'The REST API id (the first label of `ApiUrl`)' },
          region: { default: 'eu-west-1' },
          stage: { default: 'prod', description: 'The stage name (CDK context `stage`)' },
        },
      },
      {
        url: 'http://127.0.0.1:3000',
        description: 'The local stack (`npm run dev`, no auth; `PORT` changes the port)',
      },
    ],
    tags: [
      { name: 'intake', description: "The vendor platform's catalog, accounts and usage" },
      { name: 'connection', description: 'The buttons of the Gradient setup flow' },
      { name: 'partners', description: 'Partner status and settings' },
      { name: 'runs', description: 'Resync and run history' },
      { name: 'readback', description: 'What went in and what was pushed: accounts, line usage, push history' },
      { name: 'meta', description: 'This document' },
    ],
    security: [{ sigv4: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'API Gateway IAM authorization: requests are signed with AWS Signature Version 4.',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
  };
}

/** The committed file's content: stable key order from construction, two-space indent, final newline. */
export const renderOpenApi = (document: OpenApiDocument): string => `${JSON.stringify(document, null, 2)}\n`;
