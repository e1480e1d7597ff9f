// The read-back routes: what went in and what was pushed — a partner's accounts, one line's usage for a period,
// and one account's push history per service.
import { accountHistory } from '../../../core/read/account-history';
import { listAccounts } from '../../../core/read/accounts';
import { readLineUsage } from '../../../core/read/line-usage';
import { json } from '../http';
import * as S from '../schemas';
import { accountHistoryView, accountPageView, lineUsageView } from '../views';
import { errorDocs, type Route, route } from './route';

const notFound = { description: 'Unknown partner, account or service', schema: errorDocs.notFound.schema };

export const readbackRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/accounts',
    operationId: 'listAccounts',
    tag: 'readback',
    summary: "The partner's registered accounts, a page at a time (accountId order)",
    params: S.PartnerPathParams,
    query: S.AccountsQuery,
    responses: {
      200: { description: 'One page; `next` asks for the following one', schema: S.AccountPageView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, query }) {
      const page = await listAccounts(await deps(), params.partnerId, {
        ...(query.limit !== undefined && { limit: query.limit }),
        ...(query.cursor !== undefined && { cursor: query.cursor }),
      });
      return json(200, accountPageView(page));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/usage',
    operationId: 'getLineUsage',
    tag: 'readback',
    summary: "One line's usage for a period: the stored daily states, the metered days and the value computed",
    params: S.PartnerPathParams,
    query: S.LineUsageQuery,
    responses: {
      200: { description: 'The line', schema: S.LineUsageView },
      400: { description: 'Invalid input, or a period that has not started', schema: errorDocs.badRequest.schema },
      404: notFound,
    },
    async handle({ deps, params, query }) {
      return json(200, lineUsageView(await readLineUsage(await deps(), params.partnerId, query)));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/accounts/{accountId}/history',
    operationId: 'getAccountHistory',
    tag: 'readback',
    summary: "What was pushed for the account per service over the partner's latest runs, newest first",
    params: S.AccountPathParams,
    query: S.HistoryQuery,
    responses: {
      200: { description: 'Per service, one entry per run that decided the line', schema: S.AccountHistoryView },
      400: errorDocs.badRequest,
      404: notFound,
    },
    async handle({ deps, params, query }) {
      const history = await accountHistory(await deps(), params.partnerId, params.accountId, query.limit);
      return json(200, accountHistoryView(history));
    },
  }),
];
