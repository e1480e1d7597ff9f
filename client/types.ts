// The request and response types of the HTTP API (v1), inferred from the zod schemas the API validates with
// (lambdas/handlers/api/schemas/): the vendor's backend and the console card compile against the contract
// itself, so a changed field breaks their build instead of a customer's screen. Types only: nothing here runs.
import type * as z from 'zod';
import type * as S from '../lambdas/handlers/api/schemas';

/** What a request body may be (zod input: optional fields may be left out). */
export type ConnectionTestRequest = z.input<typeof S.ConnectionTestRequest>;
export type ConnectionSave = z.input<typeof S.ConnectionSave>;
export type PartnerPatch = z.input<typeof S.PartnerPatch>;
export type ResyncRequest = z.input<typeof S.ResyncRequest>;
export type AccountUpsert = z.input<typeof S.AccountUpsert>;
export type ServiceUpsert = z.input<typeof S.ServiceUpsert>;
export type UsageBatch = z.input<typeof S.UsageBatch>;

/** What the API answers (zod output: the shape after validation). */
export type ErrorView = z.output<typeof S.ErrorView>;
export type PartnerView = z.output<typeof S.PartnerView>;
export type ConnectionTestResultView = z.output<typeof S.ConnectionTestResultView>;
export type DisconnectWarningView = z.output<typeof S.DisconnectWarningView>;
export type MappingSyncResultView = z.output<typeof S.MappingSyncResultView>;
export type MappingsView = z.output<typeof S.MappingsView>;
export type ResyncAcceptedView = z.output<typeof S.ResyncAcceptedView>;
export type RunView = z.output<typeof S.RunView>;
export type RunListView = z.output<typeof S.RunListView>;
export type RunDetailView = z.output<typeof S.RunDetailView>;
export type RunLineView = RunDetailView['lines'][number];
export type AccountView = z.output<typeof S.AccountView>;
export type ServiceView = z.output<typeof S.ServiceView>;
export type ServiceListView = z.output<typeof S.ServiceListView>;
export type UsageWrittenView = z.output<typeof S.UsageWrittenView>;
