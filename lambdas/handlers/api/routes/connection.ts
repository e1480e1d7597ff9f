// The connection routes: the buttons of the console's Gradient setup flow (test, save, disconnect, sync
// mappings) and the stored mappings.
import { disconnect, listMappings, saveConnection, syncMappings, testConnection } from '../../../core/connection';
import { CONNECTION_TEST_LIMIT } from '../../../shared/settings';
import { json, noContent } from '../http';
import { enforceLimit } from '../rate-limit';
import * as S from '../schemas';
import { mappingSyncView, mappingsView } from '../views';
import { partnerAnswer } from './partners';
import { errorDocs, gradientErrorDocs, type Route, route } from './route';

export const connectionRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/v1/partners/{partnerId}/connection/test',
    operationId: 'testConnection',
    tag: 'connection',
    summary: 'Test a Partner API key (given, or the stored one) without storing anything',
    description: 'Gradient failures are an answer (`ok: false` with a reason for a person), not an error status.',
    params: S.PartnerPathParams,
    body: { schema: S.ConnectionTestRequest, required: false },
    responses: {
      200: { description: 'The outcome', schema: S.ConnectionTestResultView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
      429: {
        description: `More than ${CONNECTION_TEST_LIMIT.max} tests for this partner id in ${CONNECTION_TEST_LIMIT.windowSeconds} s (see Retry-After)`,
        schema: S.ErrorView,
      },
    },
    async handle({ deps, params, body }) {
      const d = await deps();
      await enforceLimit(d, 'connection-test', params.partnerId, CONNECTION_TEST_LIMIT);
      return json(200, await testConnection(d, params.partnerId, body?.partnerApiKey));
    },
  }),
  route({
    method: 'PUT',
    path: '/v1/partners/{partnerId}/connection',
    operationId: 'saveConnection',
    tag: 'connection',
    summary: 'Verify and store the Partner API key; set Gradient up (status pending, services, accounts)',
    description:
      'The key is verified first: a rejected key changes nothing (422). Gradient setup steps are idempotent and the key and partner record are written only after they all succeeded, so a 502/504 leaves the previous state and a retry completes the setup. Saving the same key again is safe.',
    params: S.PartnerPathParams,
    body: { schema: S.ConnectionSave, required: true },
    responses: {
      200: { description: 'The partner', schema: S.PartnerView },
      400: errorDocs.badRequest,
      409: { ...errorDocs.conflict, description: 'The previous key (a disconnect) is still being deleted' },
      ...gradientErrorDocs,
    },
    async handle({ deps, params, body }) {
      const d = await deps();
      await saveConnection(d, params.partnerId, body);
      return partnerAnswer(d, params.partnerId);
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/partners/{partnerId}/connection',
    operationId: 'disconnect',
    tag: 'connection',
    summary: 'Disconnect: Gradient status inactive (best effort), forget the key and every mapping; runs stay',
    params: S.PartnerPathParams,
    responses: {
      200: { description: 'Disconnected, but Gradient could not be told', schema: S.DisconnectWarningView },
      204: { description: 'Disconnected (or already was)' },
      404: errorDocs.notFound,
    },
    async handle({ deps, params }) {
      const result = await disconnect(await deps(), params.partnerId);
      if (result.gradientWarning) return json(200, { disconnected: true, warning: result.gradientWarning });
      return noContent();
    },
  }),
  route({
    method: 'POST',
    path: '/v1/partners/{partnerId}/mappings/sync',
    operationId: 'syncMappings',
    tag: 'connection',
    summary: 'Create missing and rename changed accounts in Gradient, pull isMapped, store it',
    description: 'A rejected stored key marks the partner `auth_failed` (422).',
    params: S.PartnerPathParams,
    responses: {
      200: { description: 'Counts and the unmapped accounts', schema: S.MappingSyncResultView },
      404: errorDocs.notFound,
      409: errorDocs.conflict,
      ...gradientErrorDocs,
    },
    async handle({ deps, params }) {
      return json(200, mappingSyncView(await syncMappings(await deps(), params.partnerId)));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/mappings',
    operationId: 'getMappings',
    tag: 'connection',
    summary: 'Stored account and service mappings',
    params: S.PartnerPathParams,
    responses: { 200: { description: 'The mappings', schema: S.MappingsView }, 404: errorDocs.notFound },
    async handle({ deps, params }) {
      return json(200, mappingsView(await listMappings(await deps(), params.partnerId)));
    },
  }),
];
