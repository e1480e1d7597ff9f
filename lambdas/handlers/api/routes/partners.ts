// The partner routes: what the console shows of a partner (status, organization, mapping counts, last run) and
// its settings.
import { updatePartnerSettings } from '../../../core/partners';
import type { AppDeps } from '../../../core/ports';
import { getPartnerOverview } from '../../../core/read/partner-overview';
import { json } from '../http';
import * as S from '../schemas';
import { partnerView } from '../views';
import { errorDocs, type Route, route } from './route';

/** 200 with the partner as it is now: the answer of every route that changes a partner. */
export const partnerAnswer = async (deps: AppDeps, partnerId: string) =>
  json(200, partnerView(await getPartnerOverview(deps, partnerId)));

export const partnerRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}',
    operationId: 'getPartner',
    tag: 'partners',
    summary: 'Status, organization, rounding policy, mapping counts and the last run',
    params: S.PartnerPathParams,
    responses: { 200: { description: 'The partner', schema: S.PartnerView }, 404: errorDocs.notFound },
    async handle({ deps, params }) {
      return partnerAnswer(await deps(), params.partnerId);
    },
  }),
  route({
    method: 'PATCH',
    path: '/v1/partners/{partnerId}',
    operationId: 'patchPartner',
    tag: 'partners',
    summary: 'Change settings such as the rounding policy',
    params: S.PartnerPathParams,
    body: { schema: S.PartnerPatch, required: true },
    responses: {
      200: { description: 'The partner', schema: S.PartnerView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, body }) {
      const d = await deps();
      await updatePartnerSettings(d, params.partnerId, body);
      return partnerAnswer(d, params.partnerId);
    },
  }),
];
