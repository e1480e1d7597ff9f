// The route table of the HTTP API (docs/architecture.md, "The HTTP API"): the router serves it and the OpenAPI document is built from
// it, the document's own route included.
import { json } from '../http';
import { type OpenApiDocument, openApiDocument } from '../openapi';
import * as S from '../schemas';
import { connectionRoutes } from './connection';
import { intakeRoutes } from './intake';
import { partnerRoutes } from './partners';
import { readbackRoutes } from './readback';
import { reconciliationRoutes } from './reconciliation';
import { type Route, route } from './route';
import { runRoutes } from './runs';

let cached: OpenApiDocument | undefined;

/** The document of this table (built once per process; it only depends on code). */
export const apiDocument = (): OpenApiDocument => {
  cached ??= openApiDocument(apiRoutes);
  return cached;
};

/** Every route the handler serves. */
export const apiRoutes: Route[] = [
  ...intakeRoutes,
  ...connectionRoutes,
  ...partnerRoutes,
  ...runRoutes,
  ...reconciliationRoutes,
  ...readbackRoutes,
  route({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    tag: 'meta',
    summary: 'This API described as OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document', schema: S.OpenApiDocumentView } },
    async handle() {
      return json(200, apiDocument());
    },
  }),
];
