// Shapes of stored items as the domain reads them back. Unknown attributes (keys, TTL, index flags) are stripped.
import * as z from 'zod';
import {
  type Account,
  type AccountMapping,
  AGGREGATIONS,
  type AlertRefusal,
  type CatalogService,
  type ClosingLine,
  type HeldValue,
  type LineReceipt,
  type Partner,
  type Refusal,
  type ResyncClaim,
  type Run,
  type SentAlert,
  type ServiceMapping,
  type StatementAdjustment,
} from '../../core/model';
import {
  alertKindSchema,
  alertSettingsSchema,
  alertStatusSchema,
  averageBasisSchema,
  lineChangesSchema,
  lineOutcomeSchema,
  lineReasonSchema,
  partnerStatusSchema,
  roundingPolicySchema,
  runLaneSchema,
  runStatusSchema,
  runSummarySchema,
  runTriggerSchema,
} from '../../shared/vocabulary';

const optional = <T extends z.ZodType>(schema: T) => schema.optional();

const runStatus = runStatusSchema;
const summary = runSummarySchema;

export const partnerItem: z.ZodType<Partner> = z.object({
  partnerId: z.string(),
  status: partnerStatusSchema,
  roundingPolicy: roundingPolicySchema,
  closeDay: optional(z.number().int()),
  organizationId: optional(z.string()),
  organizationName: optional(z.string()),
  connectedAt: optional(z.string()),
  updatedAt: z.string(),
  statusReason: optional(z.string()),
  lastAcceptedAt: optional(z.string()),
  unmappedAccounts: optional(z.number().int().nonnegative()),
  alerts: optional(alertSettingsSchema),
  lastRun: optional(
    z.object({
      runId: z.string(),
      period: z.string(),
      status: runStatus,
      finishedAt: optional(z.string()),
      summary,
    }),
  ),
});

export const catalogItem: z.ZodType<CatalogService> = z.object({
  serviceKey: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  subcategory: z.string(),
  aggregation: z.enum(AGGREGATIONS),
  unitScale: optional(z.number()),
  averageBasis: optional(averageBasisSchema),
  gradientServiceId: optional(z.string()),
  updatedAt: z.string(),
});

export const accountItem: z.ZodType<Account> = z.object({
  partnerId: z.string(),
  accountId: z.string(),
  name: z.string(),
  description: optional(z.string()),
  active: z.boolean(),
  updatedAt: z.string(),
});

export const accountMappingItem: z.ZodType<AccountMapping> = z.object({
  partnerId: z.string(),
  accountId: z.string(),
  gradientName: z.string(),
  isMapped: optional(z.boolean()),
  mappedFromUnmapped: optional(z.boolean()),
  mappedSince: optional(z.string()),
  syncedAt: z.string(),
});

export const serviceMappingItem: z.ZodType<ServiceMapping> = z.object({
  partnerId: z.string(),
  serviceKey: z.string(),
  gradientServiceId: z.string(),
  syncedAt: z.string(),
});

export const heldItem: z.ZodType<HeldValue> = z.object({
  partnerId: z.string(),
  accountId: z.string(),
  serviceKey: z.string(),
  value: z.number(),
  period: z.string(),
  runId: z.string(),
  acceptedAt: z.string(),
  serviceId: optional(z.string()),
  mappedSince: optional(z.string()),
  basis: optional(z.object({ asOf: z.string(), days: z.array(z.number()) })),
});

export const refusalItem: z.ZodType<Refusal> = z.object({
  partnerId: z.string(),
  accountId: z.string(),
  serviceKey: z.string(),
  value: z.number(),
  serviceId: z.string(),
  mappedSince: optional(z.string()),
  refusedAt: z.string(),
});

/** Runs stored before continuations existed counted their deliveries as `attempts`, and had no continuation. */
const legacyRunCounts = (item: unknown): unknown => {
  if (typeof item !== 'object' || item === null || 'deliveries' in item) return item;
  const { attempts, ...rest } = item as Record<string, unknown>;
  return { ...rest, deliveries: attempts ?? 0 };
};

export const runItem: z.ZodType<Run> = z.preprocess(
  legacyRunCounts,
  z.object({
    runId: z.string(),
    partnerId: z.string(),
    period: z.string(),
    asOf: z.string(),
    full: z.boolean(),
    trigger: runTriggerSchema,
    lane: optional(runLaneSchema),
    status: runStatus,
    queuedAt: z.string(),
    startedAt: optional(z.string()),
    finishedAt: optional(z.string()),
    deliveries: z.number().int(),
    continuations: z.number().int().default(0),
    leaseUntil: optional(z.string()),
    summary,
    error: optional(z.object({ code: z.string(), message: z.string() })),
  }),
);

/** A resync idempotency key beside the runs; its expiry is the table's TTL attribute (epoch seconds). */
export const claimItem: z.ZodType<Omit<ResyncClaim, 'expiresAt'> & { expiresAt: number }> = z.object({
  key: z.string(),
  request: z.object({ period: optional(z.string()), full: z.boolean() }),
  answer: z.object({ runId: z.string(), period: z.string(), asOf: z.string(), full: z.boolean() }),
  expiresAt: z.number(),
});

const receiptFields = z.object({
  runId: z.string(),
  accountId: z.string(),
  serviceKey: z.string(),
  computed: z.number(),
  pushed: z.number(),
  outcome: lineOutcomeSchema,
  httpStatus: optional(z.number()),
  detail: optional(z.string()),
  attempts: z.number().int(),
  at: z.string(),
  previous: optional(z.number().nullable()),
  reason: optional(lineReasonSchema),
  changes: optional(lineChangesSchema),
});

export const receiptItem: z.ZodType<LineReceipt> = receiptFields;

/** Many receipts in one item (`receipt-batches.ts`): per group the shared fields, per service its lines as text. */
export const receiptBatchItem = z.object({
  groups: z.array(
    z.object({
      receipt: receiptFields.omit({ accountId: true, serviceKey: true, computed: true, pushed: true, previous: true }),
      services: z.record(z.string(), z.string()),
    }),
  ),
});

/** Identity attributes of a usage month item; the `dNN` day attributes are read separately. */
export const usageMonthItem = z.object({
  accountId: z.string(),
  serviceKey: z.string(),
  period: z.string(),
});

export const usageLineItem = z.object({
  accountId: z.string(),
  serviceKey: z.string(),
});

export const closingLineItem: z.ZodType<ClosingLine> = z.object({
  accountId: z.string(),
  serviceKey: z.string(),
  computed: z.number(),
  pushed: z.number(),
  roundingDelta: z.number(),
});

export const statementAdjustmentItem: z.ZodType<StatementAdjustment> = z.object({
  accountId: z.string(),
  serviceKey: z.string(),
  closedValue: z.number(),
  currentValue: z.number(),
  at: z.string(),
});

export const closedMarkerItem = z.object({ asOf: z.string(), closedAt: z.string() });

export const sentAlertItem: z.ZodType<SentAlert> = z.object({
  partnerId: z.string(),
  period: z.string(),
  alertId: z.string(),
  kind: alertKindSchema,
  subject: optional(z.string()),
  accountId: z.string(),
  title: z.string(),
  status: alertStatusSchema,
  attempts: z.number().int().nonnegative(),
  messageId: optional(z.string()),
  ticketId: optional(z.string()),
  detail: optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const alertRefusalItem: z.ZodType<AlertRefusal> = z.object({
  partnerId: z.string(),
  period: z.string(),
  reason: z.string(),
  runId: z.string(),
  at: z.string(),
});
