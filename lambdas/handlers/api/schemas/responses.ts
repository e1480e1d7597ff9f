// The API's response schemas (`*View`): what each route answers, named as OpenAPI components.
import * as z from 'zod';
import { AGGREGATIONS } from '../../../core/model';

import {
  alertPrioritySchema,
  averageBasisSchema,
  closeDaySchema,
  connectionFailureSchema,
  lineChangesSchema,
  lineOutcomeSchema,
  lineReasonSchema,
  partnerStatusSchema,
  roundingPolicySchema,
  runLaneSchema,
  runStatusSchema,
  runSummarySchema,
  runTriggerSchema,
} from '../../../shared/vocabulary';

import { Count, Id, IsoDate, named, Period, Timestamp } from './common';

// ---------- responses ----------

export const ErrorView = named(
  z.object({
    error: z.object({
      code: z.string().meta({ examples: ['validation_failed'] }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  }),
  'Error',
);

export const ServiceView = named(
  z.object({
    serviceKey: Id,
    name: z.string(),
    description: z.string(),
    category: z.string(),
    subcategory: z.string(),
    aggregation: z.enum(AGGREGATIONS),
    unitScale: z.number().optional(),
    averageBasis: averageBasisSchema.optional().meta({ description: 'Present for `aggregation: average`.' }),
    gradientServiceId: z
      .string()
      .optional()
      .meta({ description: "Gradient's service id, once the service exists there." }),
    updatedAt: Timestamp,
  }),
  'Service',
);
export const ServiceListView = named(z.object({ services: z.array(ServiceView) }), 'ServiceList');

export const AccountView = named(
  z.object({
    partnerId: Id,
    accountId: Id,
    name: z.string(),
    description: z.string().optional(),
    active: z.boolean(),
    updatedAt: Timestamp,
  }),
  'Account',
);

export const UsageWrittenView = named(z.object({ written: Count }), 'UsageWritten');

export const ConnectionTestResultView = named(
  z.object({
    ok: z.boolean(),
    organization: z
      .object({ organizationId: z.string(), name: z.string(), integrationStatus: z.string().optional() })
      .optional(),
    code: connectionFailureSchema.optional(),
    reason: z.string().optional().meta({ description: 'What to do next, for a person.' }),
  }),
  'ConnectionTestResult',
);

export const RunSummaryView = named(runSummarySchema, 'RunSummary');

export const PartnerView = named(
  z.object({
    partnerId: Id,
    status: partnerStatusSchema,
    roundingPolicy: roundingPolicySchema,
    closeDay: closeDaySchema.meta({
      description: 'The day of the month its new billing period begins on: set by the MSP, or the spread default.',
    }),
    organizationId: z.string().optional(),
    organizationName: z.string().optional(),
    connectedAt: Timestamp.optional(),
    updatedAt: Timestamp,
    statusReason: z.string().optional(),
    lastRun: z
      .object({
        runId: Id,
        period: Period,
        status: runStatusSchema,
        finishedAt: Timestamp.optional(),
        summary: RunSummaryView,
      })
      .optional(),
    mappings: z.object({ accounts: Count, mappedAccounts: Count, unmappedAccounts: Count, services: Count }),
    alerts: z
      .object({ enabled: z.boolean(), minUnbilledUnits: z.number().optional(), priority: alertPrioritySchema })
      .meta({ description: "Billing-health tickets in the MSP's PSA (`enabled: false` until the MSP opts in)." }),
  }),
  'Partner',
);

export const DisconnectWarningView = named(
  z.object({ disconnected: z.literal(true), warning: z.object({ code: z.string(), message: z.string() }) }),
  'DisconnectWarning',
  'Answered (200) instead of 204 when the disconnect happened but Gradient could not be told.',
);

export const MappingSyncResultView = named(
  z.object({
    existing: Count.meta({ description: 'Accounts Gradient already held.' }),
    created: Count,
    renamed: Count,
    mapped: Count,
    unmappedCount: Count,
    unmapped: z.array(z.object({ accountId: Id, name: z.string() })),
    services: Count,
  }),
  'MappingSyncResult',
);

export const MappingsView = named(
  z.object({
    accounts: z.array(
      z.object({
        accountId: Id,
        gradientName: z.string(),
        isMapped: z
          .boolean()
          .optional()
          .meta({ description: "Absent when Gradient's account list does not report it (its older shape)." }),
        syncedAt: Timestamp,
      }),
    ),
    services: z.array(z.object({ serviceKey: Id, gradientServiceId: z.string(), syncedAt: Timestamp })),
  }),
  'Mappings',
);

export const ResyncAcceptedView = named(
  z.object({ runId: Id, period: Period, asOf: IsoDate, full: z.boolean() }),
  'ResyncAccepted',
);

export const RunView = named(
  z.object({
    runId: Id,
    partnerId: Id,
    period: Period,
    asOf: IsoDate,
    full: z.boolean(),
    trigger: runTriggerSchema,
    lane: runLaneSchema.meta({
      description:
        'Its lane in the shared Gradient budget: `admin` (a manual resync of a period, served first), `nightly` ' +
        '(the nightly deltas of MSPs already billing), `bulk` (first nights and full resyncs: what is left, with a floor).',
    }),
    status: runStatusSchema,
    queuedAt: Timestamp,
    startedAt: Timestamp.optional(),
    finishedAt: Timestamp.optional(),
    deliveries: Count.meta({
      description: 'Deliveries that worked on the run: the first, its continuations and any redeliveries.',
    }),
    continuations: Count.meta({
      description: 'How many of those deliveries took over from one that ran out of time (a long run continues).',
    }),
    summary: RunSummaryView,
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  'Run',
);
export const RunListView = named(
  z.object({
    runs: z.array(RunView),
    nextCursor: z.string().optional().meta({ description: 'Present when older runs remain: pass it as `cursor`.' }),
  }),
  'RunList',
);

export const RunDetailView = named(
  z.object({
    ...RunView.shape,
    lines: z.array(
      z.object({
        accountId: Id,
        serviceKey: Id,
        computed: z.number(),
        pushed: z.number(),
        outcome: lineOutcomeSchema,
        httpStatus: z.number().int().optional().meta({ description: "Gradient's HTTP status for the line." }),
        detail: z.string().optional(),
        attempts: Count,
        at: Timestamp,
        previous: z
          .number()
          .nullable()
          .meta({ description: 'The value Gradient held before this run; null when it held none.' }),
        reason: lineReasonSchema.optional().meta({
          description: 'Why the value is what it is (absent only on receipts written before reasons were kept).',
        }),
        changes: lineChangesSchema.meta({
          description:
            'What moved the value since the previous push: `{date, from, to}` daily state changes, or `{date, quantity}` metered days for `sum` services.',
        }),
      }),
    ),
  }),
  'RunDetail',
);

export const OpenApiDocumentView = named(z.object({ openapi: z.string() }).loose(), 'OpenApiDocument');
