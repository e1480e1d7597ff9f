// The API's request schemas: path and query parameters, bodies and headers, each validating what it documents.
import * as z from 'zod';
import { GRADIENT_CATEGORIES, GRADIENT_SUBCATEGORIES } from '../../../adapters/gradient-enums';
import { MAX_SNAPSHOTS_PER_BATCH } from '../../../core/intake';
import {
  AGGREGATIONS,
  ALERT_PRIORITY_RULE,
  CLOSE_DAY_RULE,
  DEFAULT_ALERT_PRIORITY,
  IDEMPOTENCY_WINDOW_MS,
  MIN_USAGE_DATE,
  NEW_SERVICE_AVERAGE_BASIS,
  QUANTITY_RULE,
  UNIT_SCALE_RULE,
} from '../../../core/model';
import { DEFAULT_RUN_LIST_LIMIT, MAX_RUN_LIST_LIMIT } from '../../../core/read/run-history';

import {
  alertPrioritySchema,
  averageBasisSchema,
  closeDaySchema,
  quantitySchema,
  unitScaleSchema,
} from '../../../shared/vocabulary';

import { Cursor, Id, IsoDate, named, PartnerApiKey, Period, RoundingPolicy } from './common';

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
  cursor: Cursor.optional(),
});

export const ServiceUpsert = named(
  z
    .strictObject({
      name: z.string().trim().min(1).max(200).meta({ description: 'Exact name of the Gradient vendor service.' }),
      description: z.string().trim().min(1).max(2000),
      category: z.enum(GRADIENT_CATEGORIES),
      subcategory: z.enum(GRADIENT_SUBCATEGORIES),
      aggregation: z.enum(AGGREGATIONS).meta({ description: 'How daily snapshots become a value for the period.' }),
      unitScale: unitScaleSchema
        .optional()
        .meta({ description: `The value is divided by this (bytes → GB: 1e9); ${UNIT_SCALE_RULE}.` }),
      averageBasis: averageBasisSchema.optional().meta({
        description:
          'For `aggregation: average` only. `to_date`: the mean of the days so far; `projected`: the month’s mean if ' +
          `today's state holds to its end (the same on its last day). Default: the service's current basis; ` +
          `\`${NEW_SERVICE_AVERAGE_BASIS}\` for a new service.`,
      }),
    })
    .refine((s) => s.averageBasis === undefined || s.aggregation === 'average', {
      path: ['averageBasis'],
      message: 'averageBasis applies to aggregation "average" only',
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
    .strictObject({
      roundingPolicy: RoundingPolicy.optional(),
      closeDay: closeDaySchema.optional().meta({
        description: `The day of the month the partner's new billing period begins on; ${CLOSE_DAY_RULE}. Until then the nightly keeps the closed month's final values in Gradient.`,
      }),
      alerts: z
        .strictObject({
          enabled: z.boolean(),
          minUnbilledUnits: quantitySchema.optional().meta({
            description: 'Alert an unmapped account or a refused service from this many units (default: any).',
          }),
          priority: alertPrioritySchema.optional().meta({
            description: `The tickets' priority in the PSA, ${ALERT_PRIORITY_RULE} (default ${DEFAULT_ALERT_PRIORITY}).`,
          }),
        })
        .optional()
        .meta({
          description:
            "Billing-health tickets in the MSP's PSA through Gradient's alerting (off by default). Replaces the whole setting.",
        }),
    })
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
