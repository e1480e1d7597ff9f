// The zod schemas of the HTTP API (architecture §5). The same schemas validate requests and, through
// `apiSchemas`, become the components of the OpenAPI document: the contract is written once.
// Response bodies are named `…View` (`RunView`, `PartnerView`, …) so they never shadow the domain's types
// (`Run`, `Partner`, … in core/model.ts); their component ids stay the short names (`Run`, `Partner`, …).
import * as z from 'zod';
import { GRADIENT_CATEGORIES, GRADIENT_SUBCATEGORIES } from '../../adapters/gradient-enums';
import { MAX_SNAPSHOTS_PER_BATCH } from '../../core/intake';
import { AGGREGATIONS, IDEMPOTENCY_WINDOW_MS, MIN_USAGE_DATE, QUANTITY_RULE, UNIT_SCALE_RULE } from '../../core/model';
import { DEFAULT_RUN_LIST_LIMIT, MAX_RUN_LIST_LIMIT } from '../../core/run-history';

import {
  connectionFailureSchema,
  idSchema,
  isoDateSchema,
  lineOutcomeSchema,
  partnerStatusSchema,
  periodSchema,
  quantitySchema,
  roundingPolicySchema,
  runStatusSchema,
  runSummarySchema,
  runTriggerSchema,
  unitScaleSchema,
} from '../../shared/vocabulary';

/** Named schemas, emitted as `#/components/schemas/<id>`. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
const named = <S extends z.ZodType>(schema: S, id: string, description?: string): S => {
  apiSchemas.add(schema, description === undefined ? { id } : { id, description });
  return schema;
};

export const Id = idSchema.meta({ examples: ['acme-42'] });

const IsoDate = isoDateSchema.meta({ format: 'date', examples: ['2026-11-25'] });
const Period = periodSchema.meta({ examples: ['2026-11'] });
const Timestamp = z.string().meta({ format: 'date-time' });
const Count = z.number().int().nonnegative();

/** A Partner API key as pasted by a person: surrounding whitespace is dropped; the value is never echoed. */
const PartnerApiKey = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512, 'is too long')
  .regex(/^[\x21-\x7e]+$/, 'must contain printable characters only (no spaces)')
  .meta({
    description: 'The Partner API key generated in Gradient Synthesize. Write-only: never returned.',
    writeOnly: true,
  });

const RoundingPolicy = roundingPolicySchema.meta({
  description:
    'How computed usage becomes the pushed value: `none` keeps decimals; `up`, `nearest`, `down` give whole numbers.',
});

// ---------- requests ----------

export const ServicePathParams = z.object({ serviceKey: Id });
export const PartnerPathParams = z.object({ partnerId: Id });
export const AccountPathParams = z.object({ partnerId: Id, accountId: Id });
export const RunPathParams = z.object({ partnerId: Id, runId: Id });
export const RunsQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RUN_LIST_LIMIT)
    .optional()
    .meta({ description: `How many runs, newest first (default ${DEFAULT_RUN_LIST_LIMIT}).` }),
});

export const ServiceUpsert = named(
  z.strictObject({
    name: z.string().trim().min(1).max(200).meta({ description: 'Exact name of the Gradient vendor service.' }),
    description: z.string().trim().min(1).max(2000),
    category: z.enum(GRADIENT_CATEGORIES),
    subcategory: z.enum(GRADIENT_SUBCATEGORIES),
    aggregation: z.enum(AGGREGATIONS).meta({ description: 'How daily snapshots become a value for the period.' }),
    unitScale: unitScaleSchema
      .optional()
      .meta({ description: `The value is divided by this (bytes → GB: 1e9); ${UNIT_SCALE_RULE}.` }),
  }),
  'ServiceUpsert',
);

export const AccountUpsert = named(
  z.strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    active: z
      .boolean()
      .optional()
      .meta({ description: 'Inactive accounts are not created in Gradient (default true).' }),
  }),
  'AccountUpsert',
);

export const UsageSnapshotInput = named(
  z.strictObject({
    accountId: Id,
    serviceKey: Id.meta({ description: 'A service of the catalog.' }),
    date: IsoDate.meta({ description: `A real UTC calendar date from ${MIN_USAGE_DATE} on, no later than tomorrow.` }),
    quantity: quantitySchema.meta({ description: `A quantity that ${QUANTITY_RULE}.` }),
  }),
  'UsageSnapshotInput',
);

export const UsageBatch = named(
  z.strictObject({ snapshots: z.array(UsageSnapshotInput).min(1).max(MAX_SNAPSHOTS_PER_BATCH) }),
  'UsageBatch',
  'A batch is all or nothing: any invalid snapshot rejects it whole, with every problem listed by index.',
);

export const ConnectionTestRequest = named(
  z.strictObject({ partnerApiKey: PartnerApiKey.optional() }),
  'ConnectionTestRequest',
  'Without a key, the stored key of the partner is tested.',
);

export const ConnectionSave = named(
  z.strictObject({ partnerApiKey: PartnerApiKey, roundingPolicy: RoundingPolicy.optional() }),
  'ConnectionSave',
);

export const PartnerPatch = named(
  z
    .strictObject({ roundingPolicy: RoundingPolicy.optional() })
    .refine((o) => Object.keys(o).length > 0, 'nothing to update')
    .meta({ minProperties: 1 }),
  'PartnerPatch',
);

export const ResyncRequest = named(
  z.strictObject({
    period: Period.optional().meta({
      description: 'Default: the current period. A past period is computed as of its last day.',
    }),
    full: z.boolean().optional().meta({ description: 'Send every line, even unchanged ones (default false).' }),
  }),
  'ResyncRequest',
);

export const ResyncHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(/^[\x20-\x7e]+$/, 'must contain printable ASCII characters only')
    .optional()
    .meta({
      description:
        `Makes the resync safe to retry: the same key (per partner, for ${IDEMPOTENCY_WINDOW_MS / 3_600_000} hours) answers the same run and queues ` +
        'nothing new; the same key with a different body answers 409 `idempotency_key_reused`. 1-128 printable ' +
        'ASCII characters, e.g. a UUID.',
      examples: ['7f9c2ba4-e88f-4b1c-9d1e-2f3a4b5c6d7e'],
    }),
});

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
    status: runStatusSchema,
    queuedAt: Timestamp,
    startedAt: Timestamp.optional(),
    finishedAt: Timestamp.optional(),
    summary: RunSummaryView,
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  'Run',
);
export const RunListView = named(z.object({ runs: z.array(RunView) }), 'RunList');

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
      }),
    ),
  }),
  'RunDetail',
);

export const OpenApiDocumentView = named(z.object({ openapi: z.string() }).loose(), 'OpenApiDocument');
