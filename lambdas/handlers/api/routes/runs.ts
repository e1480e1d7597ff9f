// The run routes: a manual resync (the nightly message, now) and the run history with per-line receipts.
import { getRun, listRuns } from '../../../core/read/run-history';
import { resync } from '../../../core/sync/resync';
import { resyncOnce } from '../../../core/sync/resync-once';
import { json } from '../http';
import * as S from '../schemas';
import { runDetailView, runView } from '../views';
import { errorDocs, type Route, route } from './route';

export const runRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/v1/partners/{partnerId}/resync',
    operationId: 'resync',
    tag: 'runs',
    summary: 'Enqueue a sync of one period now (the nightly message); poll the run',
    params: S.PartnerPathParams,
    headers: S.ResyncHeaders,
    body: { schema: S.ResyncRequest, required: false },
    responses: {
      202: { description: 'Queued (or, for a known Idempotency-Key, queued before)', schema: S.ResyncAcceptedView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
      409: {
        description: 'The partner is not connected, or the Idempotency-Key was used for another request',
        schema: errorDocs.conflict.schema,
      },
    },
    async handle({ deps, settings, params, body, headers }) {
      const input = {
        ...(body?.period !== undefined && { period: body.period }),
        ...(body?.full !== undefined && { full: body.full }),
      };
      const limits = (await settings()).resync;
      const key = headers['Idempotency-Key'];
      const queued =
        key === undefined
          ? await resync(await deps(), params.partnerId, input, limits)
          : await resyncOnce(await deps(), params.partnerId, key, input, limits);
      return json(202, queued, { location: `/v1/partners/${params.partnerId}/runs/${queued.runId}` });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/runs',
    operationId: 'listRuns',
    tag: 'runs',
    summary: 'Run summaries, newest first, a page at a time (`nextCursor`)',
    params: S.PartnerPathParams,
    query: S.RunsQuery,
    responses: {
      200: { description: 'Runs', schema: S.RunListView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, query }) {
      const page = await listRuns(await deps(), params.partnerId, query.limit, query.cursor);
      return json(200, { runs: page.runs.map(runView), ...(page.nextCursor && { nextCursor: page.nextCursor }) });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/runs/{runId}',
    operationId: 'getRun',
    tag: 'runs',
    summary: "One run with its per-line receipts (computed, pushed, Gradient's answer)",
    params: S.RunPathParams,
    responses: { 200: { description: 'The run', schema: S.RunDetailView }, 404: errorDocs.notFound },
    async handle({ deps, params }) {
      return json(200, runDetailView(await getRun(await deps(), params.partnerId, params.runId)));
    },
  }),
];
