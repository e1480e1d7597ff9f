// Every route of the HTTP API (architecture §5): how it is matched, validated, served and documented.
// The router and the OpenAPI document are both built from this one table.
import type { APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod';
import {
  disconnect,
  getPartnerOverview,
  listMappings,
  type PartnerOverview,
  saveConnection,
  syncMappings,
  testConnection,
  updatePartnerSettings,
} from '../../core/connection';
import { ValidationError } from '../../core/errors';
import {
  checkSnapshots,
  ingestUsage,
  MAX_SNAPSHOTS_PER_BATCH,
  type SnapshotInput,
  upsertAccount,
  upsertService,
} from '../../core/intake';
import type { CatalogService, LineReceipt, Run as RunRecord } from '../../core/model';
import type { AppDeps } from '../../core/ports';
import { getRun, listRuns, resync } from '../../core/runs';
import { type Detail, json, noContent, zodDetails } from './http';
import * as S from './schemas';

export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteContext<P, Q, B> {
  deps: () => Promise<AppDeps>;
  params: P;
  query: Q;
  body: B;
}

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** OpenAPI path template, e.g. `/v1/partners/{partnerId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** `validate: false` hands the route the parsed JSON as is (it validates itself, e.g. to merge problems). */
  body?: { schema: z.ZodType; required: boolean; validate?: boolean };
  responses: Record<number, ResponseDoc>;
  handle(ctx: RouteContext<P, Q, B>): Promise<APIGatewayProxyResult>;
}

// Infers params/query/body types from the schemas given, so handlers are type-checked against them.
function route<
  PS extends z.ZodObject | undefined = undefined,
  QS extends z.ZodObject | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
>(
  def: Omit<Route, 'params' | 'query' | 'body' | 'handle'> & {
    params?: PS;
    query?: QS;
    body?: { schema: NonNullable<BS>; required: boolean; validate?: boolean };
    handle(
      ctx: RouteContext<
        PS extends z.ZodObject ? z.output<PS> : Record<string, never>,
        QS extends z.ZodObject ? z.output<QS> : Record<string, never>,
        BS extends z.ZodType ? z.output<BS> : undefined
      >,
    ): Promise<APIGatewayProxyResult>;
  },
): Route {
  return def as unknown as Route;
}

const E = {
  badRequest: { description: 'Invalid input (fields, JSON, content type, body size)', schema: S.ErrorResponse },
  notFound: { description: 'Unknown partner or run', schema: S.ErrorResponse },
  conflict: { description: 'The partner is not connected', schema: S.ErrorResponse },
  keyRejected: { description: 'Gradient rejected the Partner API key', schema: S.ErrorResponse },
  badGateway: { description: 'Gradient answered with an error', schema: S.ErrorResponse },
  rateLimited: { description: 'Gradient is rate limiting (see Retry-After)', schema: S.ErrorResponse },
  timeout: { description: 'Gradient did not answer in time or could not be reached', schema: S.ErrorResponse },
} satisfies Record<string, ResponseDoc>;
const gradientErrors = { 422: E.keyRejected, 502: E.badGateway, 503: E.rateLimited, 504: E.timeout };

// ---------- views: what leaves the API (never a key) ----------

type Out<T extends z.ZodType> = z.output<T>;

const serviceView = (s: CatalogService): Out<typeof S.Service> => ({
  serviceKey: s.serviceKey,
  name: s.name,
  description: s.description,
  category: s.category,
  subcategory: s.subcategory,
  aggregation: s.aggregation,
  ...(s.unitScale !== undefined && { unitScale: s.unitScale }),
  ...(s.gradientServiceId !== undefined && { gradientServiceId: s.gradientServiceId }),
  updatedAt: s.updatedAt,
});

const partnerView = ({ partner: p, mappings }: PartnerOverview): Out<typeof S.Partner> => ({
  partnerId: p.partnerId,
  status: p.status,
  roundingPolicy: p.roundingPolicy,
  ...(p.organizationId !== undefined && { organizationId: p.organizationId }),
  ...(p.organizationName !== undefined && { organizationName: p.organizationName }),
  ...(p.connectedAt !== undefined && { connectedAt: p.connectedAt }),
  updatedAt: p.updatedAt,
  ...(p.statusReason !== undefined && { statusReason: p.statusReason }),
  ...(p.lastRun && {
    lastRun: {
      runId: p.lastRun.runId,
      period: p.lastRun.period,
      status: p.lastRun.status,
      ...(p.lastRun.finishedAt !== undefined && { finishedAt: p.lastRun.finishedAt }),
      summary: p.lastRun.summary,
    },
  }),
  mappings,
});

const runView = (r: RunRecord): Out<typeof S.Run> => ({
  runId: r.runId,
  partnerId: r.partnerId,
  period: r.period,
  asOf: r.asOf,
  full: r.full,
  trigger: r.trigger,
  status: r.status,
  queuedAt: r.queuedAt,
  ...(r.startedAt !== undefined && { startedAt: r.startedAt }),
  ...(r.finishedAt !== undefined && { finishedAt: r.finishedAt }),
  summary: r.summary,
  ...(r.error && { error: { code: r.error.code, message: r.error.message } }),
});

const lineView = (l: LineReceipt): Out<typeof S.RunDetail>['lines'][number] => ({
  accountId: l.accountId,
  serviceKey: l.serviceKey,
  computed: l.computed,
  pushed: l.pushed,
  outcome: l.outcome,
  ...(l.httpStatus !== undefined && { httpStatus: l.httpStatus }),
  ...(l.detail !== undefined && { detail: l.detail }),
  attempts: l.attempts,
  at: l.at,
});

// ---------- usage: every problem of a batch in one answer ----------

const snapshotIndex = (path: string): number => Number(path.split('.')[1] ?? -1);

/** Shape problems (zod) and state problems (unknown service, future date, duplicates) merged, by index. */
async function validateUsageBatch(deps: AppDeps, body: unknown): Promise<SnapshotInput[]> {
  const envelope = (body ?? {}) as { snapshots?: unknown };
  const items = envelope.snapshots;
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
  const problems: Detail[] = [];
  const extraKeys = Object.keys(body).filter((k) => k !== 'snapshots');
  for (const k of extraKeys) problems.push({ path: k, message: 'Unrecognized key' });
  const valid: Array<{ index: number; snapshot: SnapshotInput }> = [];
  items.forEach((item, index) => {
    const parsed = S.UsageSnapshotInput.safeParse(item);
    if (parsed.success) valid.push({ index, snapshot: parsed.data });
    else problems.push(...zodDetails(parsed.error, ['snapshots', String(index)]));
  });
  problems.push(...(await checkSnapshots(deps, valid)));
  if (problems.length > 0) {
    problems.sort((a, b) => snapshotIndex(a.path) - snapshotIndex(b.path));
    const bad = new Set(problems.map((p) => snapshotIndex(p.path)).filter((i) => i >= 0)).size;
    throw new ValidationError(`${bad} of ${items.length} snapshots are invalid; nothing was written`, problems);
  }
  return valid.map((v) => v.snapshot);
}

// ---------- the table ----------

export const routes: Route[] = [
  route({
    method: 'PUT',
    path: '/v1/services/{serviceKey}',
    operationId: 'putService',
    tag: 'intake',
    summary: 'Create or replace one catalog service',
    params: S.ServicePathParams,
    body: { schema: S.ServiceUpsert, required: true },
    responses: {
      200: { description: 'Updated', schema: S.Service },
      201: { description: 'Created', schema: S.Service },
      400: E.badRequest,
    },
    async handle({ deps, params, body }) {
      const { service, created } = await upsertService(await deps(), params.serviceKey, body);
      return json(created ? 201 : 200, serviceView(service));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/services',
    operationId: 'listServices',
    tag: 'intake',
    summary: "The catalog, with Gradient's serviceId where known",
    responses: { 200: { description: 'The catalog', schema: S.ServiceList } },
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
    responses: {
      200: { description: 'Updated', schema: S.Account },
      201: { description: 'Created', schema: S.Account },
      400: E.badRequest,
    },
    async handle({ deps, params, body }) {
      const { account, created } = await upsertAccount(await deps(), params.partnerId, params.accountId, body);
      return json(created ? 201 : 200, account);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/partners/{partnerId}/usage',
    operationId: 'postUsage',
    tag: 'intake',
    summary: `Write up to ${MAX_SNAPSHOTS_PER_BATCH} usage snapshots; the same (account, service, date) overwrites`,
    params: S.PartnerPathParams,
    body: { schema: S.UsageBatch, required: true, validate: false },
    responses: { 200: { description: 'Written', schema: S.UsageWritten }, 400: E.badRequest },
    async handle({ deps, params, body }) {
      const d = await deps();
      const snapshots = await validateUsageBatch(d, body);
      return json(200, await ingestUsage(d, params.partnerId, snapshots));
    },
  }),
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
      200: { description: 'The outcome', schema: S.ConnectionTestResult },
      400: E.badRequest,
      404: E.notFound,
    },
    async handle({ deps, params, body }) {
      return json(200, await testConnection(await deps(), params.partnerId, body?.partnerApiKey));
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
    responses: { 200: { description: 'The partner', schema: S.Partner }, 400: E.badRequest, ...gradientErrors },
    async handle({ deps, params, body }) {
      const d = await deps();
      await saveConnection(d, params.partnerId, body);
      return json(200, partnerView(await getPartnerOverview(d, params.partnerId)));
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
      200: { description: 'Disconnected, but Gradient could not be told', schema: S.DisconnectWarning },
      204: { description: 'Disconnected (or already was)' },
      404: E.notFound,
    },
    async handle({ deps, params }) {
      const result = await disconnect(await deps(), params.partnerId);
      if (result.gradientWarning) return json(200, { disconnected: true, warning: result.gradientWarning });
      return noContent();
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}',
    operationId: 'getPartner',
    tag: 'partners',
    summary: 'Status, organization, rounding policy, mapping counts and the last run',
    params: S.PartnerPathParams,
    responses: { 200: { description: 'The partner', schema: S.Partner }, 404: E.notFound },
    async handle({ deps, params }) {
      return json(200, partnerView(await getPartnerOverview(await deps(), params.partnerId)));
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
    responses: { 200: { description: 'The partner', schema: S.Partner }, 400: E.badRequest, 404: E.notFound },
    async handle({ deps, params, body }) {
      const d = await deps();
      await updatePartnerSettings(d, params.partnerId, body);
      return json(200, partnerView(await getPartnerOverview(d, params.partnerId)));
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
      200: { description: 'Counts and the unmapped accounts', schema: S.MappingSyncResult },
      404: E.notFound,
      409: E.conflict,
      ...gradientErrors,
    },
    async handle({ deps, params }) {
      const r = await syncMappings(await deps(), params.partnerId);
      const { unmapped, services, ...counts } = r;
      return json(200, { ...counts, unmappedCount: unmapped.length, unmapped, services });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/mappings',
    operationId: 'getMappings',
    tag: 'connection',
    summary: 'Stored account and service mappings',
    params: S.PartnerPathParams,
    responses: { 200: { description: 'The mappings', schema: S.Mappings }, 404: E.notFound },
    async handle({ deps, params }) {
      const { accounts, services } = await listMappings(await deps(), params.partnerId);
      return json(200, {
        accounts: accounts.map((a) => ({
          accountId: a.accountId,
          gradientName: a.gradientName,
          isMapped: a.isMapped,
          syncedAt: a.syncedAt,
        })),
        services: services.map((s) => ({
          serviceKey: s.serviceKey,
          gradientServiceId: s.gradientServiceId,
          syncedAt: s.syncedAt,
        })),
      });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/partners/{partnerId}/resync',
    operationId: 'resync',
    tag: 'runs',
    summary: 'Enqueue a sync of one period now (the nightly message); poll the run',
    params: S.PartnerPathParams,
    body: { schema: S.ResyncRequest, required: false },
    responses: {
      202: { description: 'Queued', schema: S.ResyncAccepted },
      400: E.badRequest,
      404: E.notFound,
      409: E.conflict,
    },
    async handle({ deps, params, body }) {
      const input = {
        ...(body?.period !== undefined && { period: body.period }),
        ...(body?.full !== undefined && { full: body.full }),
      };
      const queued = await resync(await deps(), params.partnerId, input);
      return json(202, queued, { location: `/v1/partners/${params.partnerId}/runs/${queued.runId}` });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/runs',
    operationId: 'listRuns',
    tag: 'runs',
    summary: 'Run summaries, newest first',
    params: S.PartnerPathParams,
    query: S.RunsQuery,
    responses: { 200: { description: 'Runs', schema: S.RunList }, 400: E.badRequest, 404: E.notFound },
    async handle({ deps, params, query }) {
      const runs = await listRuns(await deps(), params.partnerId, query.limit);
      return json(200, { runs: runs.map(runView) });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/partners/{partnerId}/runs/{runId}',
    operationId: 'getRun',
    tag: 'runs',
    summary: "One run with its per-line receipts (computed, pushed, Gradient's answer)",
    params: S.RunPathParams,
    responses: { 200: { description: 'The run', schema: S.RunDetail }, 404: E.notFound },
    async handle({ deps, params }) {
      const { run, receipts } = await getRun(await deps(), params.partnerId, params.runId);
      return json(200, { ...runView(run), lines: receipts.map(lineView) });
    },
  }),
];

/** Set by api.ts (the document is built from `routes`, which this route is part of). */
export const openApiRoute = (document: () => unknown): Route =>
  route({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    tag: 'meta',
    summary: 'This API described as OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document', schema: S.OpenApiDocument } },
    async handle() {
      return json(200, document());
    },
  });
