// The month-end reconciliation routes: a period's statement (JSON or CSV), what is not billed, the billing-health
// alerts sent about it, and the fleet of partners.
import { listAlerts } from '../../../core/read/alerts';
import { listFleet } from '../../../core/read/fleet';
import { statementCsv, statementCsvName } from '../../../core/read/statements/build';
import { getStatement } from '../../../core/read/statements/statement';
import { listUnmapped } from '../../../core/read/statements/unmapped';
import { json } from '../http';
import * as S from '../schemas';
import { alertListView, fleetView, statementView, unmappedView } from '../views-reconciliation';
import { errorDocs, type Route, route } from './route';

const wantsCsv = (format: string | undefined, accept: string | undefined): boolean =>
  format === undefined ? /\btext\/csv\b/i.test(accept ?? '') : format === 'csv';

export const reconciliationRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/statements/{period}',
    operationId: 'getStatement',
    tag: 'reconciliation',
    summary: "The period's statement: every line computed, pushed and held, the rounding ledger, adjustments",
    description:
      'JSON by default; CSV (one row per line, a header row of the `lines` field names) for `Accept: text/csv` or `?format=csv`. Read after the period ended, it closes: its values are stored and later changes appear under `adjustments`.',
    params: S.StatementPathParams,
    query: S.StatementQuery,
    headers: S.StatementHeaders,
    responses: {
      200: { description: 'The statement', schema: S.StatementView, csv: true },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, query, headers }) {
      const statement = statementView(await getStatement(await deps(), params.partnerId, params.period));
      if (!wantsCsv(query.format, headers.Accept)) return json(200, statement);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${statementCsvName(params.partnerId, params.period)}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: statementCsv(statement.lines),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/unmapped',
    operationId: 'listUnmapped',
    tag: 'reconciliation',
    summary: 'What reaches no invoice: unmapped accounts and services, their units, PSA name suggestions',
    description:
      'Accounts Gradient reports unmapped, with the units each line would bill this period (computed, before rounding) and up to three close PSA company names from Gradient’s deprecated Get Clients route (`[]` when it fails); services not set up or answered 404 on mapped accounts. Advisory only: nothing is mapped.',
    params: S.PartnerPathParams,
    query: S.UnmappedQuery,
    responses: {
      200: { description: 'The unmapped list', schema: S.UnmappedView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, query }) {
      return json(200, unmappedView(await listUnmapped(await deps(), params.partnerId, query.period)));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/alerts',
    operationId: 'listAlerts',
    tag: 'reconciliation',
    summary: 'The billing-health tickets sent to the MSP’s PSA for a period, and what became of them',
    description:
      'One alert per unmapped account with usage, per service Gradient refused on mapped accounts, one close-day reminder and one for runs failing two nights in a row, each at most once per period (its `alertId` is derived from what it is about). `refusal` says why Gradient refused them, once.',
    params: S.PartnerPathParams,
    query: S.AlertsQuery,
    responses: {
      200: { description: 'The period’s alerts', schema: S.AlertListView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, query }) {
      return json(200, alertListView(await listAlerts(await deps(), params.partnerId, query.period)));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners',
    operationId: 'listPartners',
    tag: 'reconciliation',
    summary: 'The fleet: every partner, its status, last run and what needs a person, latest activity first',
    description:
      'Activity is the partner record’s last change (a save, a finished run, a mapping sync, a status change). Paged by `nextCursor`; `status` filters.',
    query: S.FleetQuery,
    responses: { 200: { description: 'A page of partners', schema: S.FleetView }, 400: errorDocs.badRequest },
    async handle({ deps, query }) {
      return json(200, fleetView(await listFleet(await deps(), query)));
    },
  }),
];
