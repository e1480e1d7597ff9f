// The intake routes: the vendor's platform feeds the catalog, the managed companies and daily usage snapshots.

import type * as z from 'zod';
import { ValidationError } from '../../../core/errors';
import {
  type IndexedPartialSnapshot,
  type IndexedSnapshot,
  type Issue,
  ingestUsage,
  MAX_SNAPSHOTS_PER_BATCH,
  type SnapshotInput,
  type UsageBatchInput,
  upsertAccount,
  upsertService,
} from '../../../core/intake';
import { detailPath, json, unknownFields, zodDetails } from '../http';
import * as S from '../schemas';
import { accountView, serviceView } from '../views';
import { errorDocs, type Route, route, upsertDocs, upserted } from './route';

/**
 * The shape of a usage batch (zod), item by item so that one answer lists every problem: an envelope that is not
 * `{snapshots: [1..1000 items]}` is refused at once; otherwise the valid snapshots go on to core's checks (catalog,
 * dates, duplicates) together with the problems of the others.
 */
function readUsageBatch(body: unknown): UsageBatchInput {
  const items = (body as { snapshots?: unknown } | null | undefined)?.snapshots;
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    !Array.isArray(items) ||
    items.length === 0 ||
    items.length > MAX_SNAPSHOTS_PER_BATCH
  ) {
    const parsed = S.UsageBatch.safeParse(body);
    throw new ValidationError(
      'invalid usage batch',
      parsed.success ? [{ path: 'snapshots', message: 'invalid' }] : zodDetails(parsed.error),
    );
  }
  const unknown = Object.keys(body).filter((k) => k !== 'snapshots').length;
  const issues: Issue[] = unknown > 0 ? [{ path: detailPath([]), message: unknownFields(unknown) }] : [];
  const snapshots: IndexedSnapshot[] = [];
  const partial: IndexedPartialSnapshot[] = [];
  items.forEach((item, index) => {
    const parsed = S.UsageSnapshotInput.safeParse(item);
    if (parsed.success) snapshots.push({ index, snapshot: parsed.data });
    else {
      issues.push(...zodDetails(parsed.error, ['snapshots', String(index)]));
      partial.push({ index, fields: validFields(item, parsed.error) });
    }
  });
  return { size: items.length, snapshots, partial, issues };
}

/** The fields of a snapshot zod found nothing wrong with (core checks them further), so every problem is listed. */
function validFields(item: unknown, error: z.ZodError): Partial<SnapshotInput> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return {};
  const flagged = new Set(error.issues.map((issue) => issue.path[0]));
  const fields = Object.keys(S.UsageSnapshotInput.shape) as Array<keyof SnapshotInput>;
  return Object.fromEntries(
    fields.filter((f) => f in item && !flagged.has(f)).map((f) => [f, (item as Record<string, unknown>)[f]]),
  );
}

export const intakeRoutes: Route[] = [
  route({
    method: 'PUT',
    path: '/v1/services/{serviceKey}',
    operationId: 'putService',
    tag: 'intake',
    summary: 'Create or replace one catalog service',
    params: S.ServicePathParams,
    body: { schema: S.ServiceUpsert, required: true },
    responses: upsertDocs(S.ServiceView),
    async handle({ deps, params, body }) {
      const { service, created } = await upsertService(await deps(), params.serviceKey, body);
      return upserted(created, serviceView(service));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/services',
    operationId: 'listServices',
    tag: 'intake',
    summary: "The catalog, with Gradient's serviceId where known",
    responses: { 200: { description: 'The catalog', schema: S.ServiceListView } },
    async handle({ deps }) {
      const services = (await (await deps()).catalog.list()).sort((a, b) => a.serviceKey.localeCompare(b.serviceKey));
      return json(200, { services: services.map(serviceView) });
    },
  }),
  route({
    method: 'PUT',
    path: '/v1/partners/{partnerId}/accounts/{accountId}',
    operationId: 'putAccount',
    tag: 'intake',
    summary: 'Create or replace one managed company of a partner',
    description:
      'The partner need not be connected yet. Gradient learns of it on the next save, mapping sync or nightly sync.',
    params: S.AccountPathParams,
    body: { schema: S.AccountUpsert, required: true },
    responses: upsertDocs(S.AccountView),
    async handle({ deps, params, body }) {
      const { account, created } = await upsertAccount(await deps(), params.partnerId, params.accountId, body);
      return upserted(created, accountView(account));
    },
  }),
  route({
    method: 'POST',
    path: '/v1/partners/{partnerId}/usage',
    operationId: 'postUsage',
    tag: 'intake',
    summary: `Write up to ${MAX_SNAPSHOTS_PER_BATCH} usage snapshots; the same (account, service, date) overwrites`,
    params: S.PartnerPathParams,
    description:
      'Accounts must be registered first; a partner with neither a registered account nor a connection is unknown (404).',
    body: { schema: S.UsageBatch, required: true, validate: false },
    responses: {
      200: { description: 'Written', schema: S.UsageWrittenView },
      400: errorDocs.badRequest,
      404: errorDocs.notFound,
    },
    async handle({ deps, params, body }) {
      return json(200, await ingestUsage(await deps(), params.partnerId, readUsageBatch(body)));
    },
  }),
];
