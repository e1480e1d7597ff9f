// The API's schemas of month-end reconciliation: the statement of a period, its CSV form, the
// unmapped accounts and services with their units and suggestions, the fleet of partners, and the requests that
// read them.
import * as z from 'zod';
import { DEFAULT_FLEET_LIMIT, MAX_FLEET_LIMIT } from '../../../core/read/fleet';
import {
  lineOutcomeSchema,
  lineReasonSchema,
  partnerStatusSchema,
  roundingPolicySchema,
  runStatusSchema,
} from '../../../shared/vocabulary';
import { Count, Cursor, Id, IsoDate, named, Period, Timestamp } from './common';
import { RunSummaryView } from './responses';

export const StatementPathParams = z.object({ partnerId: Id, period: Period });
export const StatementQuery = z.object({
  format: z.enum(['json', 'csv']).optional().meta({ description: 'Overrides the Accept header.' }),
});
export const StatementHeaders = z.object({
  Accept: z.string().max(1000).optional().meta({ description: '`text/csv` answers CSV; anything else JSON.' }),
});

export const StatementView = named(
  z.object({
    partnerId: Id,
    period: Period,
    asOf: IsoDate.meta({ description: 'The last day once the period is over, else the latest run’s as-of.' }),
    closed: z.boolean().meta({ description: 'Computed as of its last day after that day ended: values are final.' }),
    roundingPolicy: roundingPolicySchema,
    lines: z.array(
      z.object({
        accountId: Id,
        accountName: z.string(),
        serviceKey: Id,
        serviceName: z.string(),
        computed: z.number().meta({ description: 'The value as of asOf, before rounding.' }),
        pushed: z.number().meta({ description: 'After the rounding policy.' }),
        roundingDelta: z.number().meta({ description: 'pushed − computed.' }),
        held: z.number().nullable().meta({ description: 'What Gradient holds now (null: nothing).' }),
        heldAt: Timestamp.nullable(),
        mapped: z.boolean().meta({ description: 'Whether the line reaches an invoice.' }),
        outcome: lineOutcomeSchema.nullable().meta({ description: 'The latest run of the period’s answer.' }),
        reason: lineReasonSchema.nullable(),
      }),
    ),
    services: z.array(
      z.object({
        serviceKey: Id,
        serviceName: z.string(),
        lines: Count,
        computed: z.number(),
        pushed: z.number(),
        roundingDelta: z.number().meta({ description: 'Units billed up (> 0) or down (< 0) by rounding.' }),
        notMappedLines: Count,
        notMappedUnits: z.number().meta({ description: 'Computed units of unmapped lines: they reach no invoice.' }),
      }),
    ),
    adjustments: z.array(
      z.object({
        accountId: Id,
        serviceKey: Id,
        closedValue: z.number(),
        currentValue: z.number(),
        at: Timestamp.meta({ description: 'When the change was first seen.' }),
      }),
    ),
  }),
  'Statement',
);

export const UnmappedQuery = z.object({
  period: Period.optional().meta({ description: 'The month (YYYY-MM); default the current month (UTC).' }),
});

export const UnmappedView = named(
  z.object({
    partnerId: Id,
    period: Period,
    accounts: z.array(
      z.object({
        accountId: Id,
        name: z.string(),
        units: z.array(
          z.object({
            serviceKey: Id,
            computed: z.number().meta({ description: 'What the line would bill this period, before rounding.' }),
          }),
        ),
        suggestions: z.array(z.string()).max(3).meta({
          description:
            'Up to three PSA company names close to the account’s (Gradient’s Get Clients); [] when that route fails. Advisory: map in Synthesize.',
        }),
      }),
    ),
    services: z.array(
      z.object({
        serviceKey: Id,
        name: z.string(),
        units: z.number().meta({ description: 'The service’s computed units this period, over all its lines.' }),
      }),
    ),
  }),
  'UnmappedList',
);

export const FleetQuery = z.object({
  status: partnerStatusSchema.optional().meta({ description: 'Only partners in this status.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_FLEET_LIMIT)
    .optional()
    .meta({ description: `How many partners per page (default ${DEFAULT_FLEET_LIMIT}).` }),
  cursor: Cursor.optional(),
});

export const FleetView = named(
  z.object({
    partners: z.array(
      z.object({
        partnerId: Id,
        organizationName: z.string().nullable(),
        status: partnerStatusSchema,
        statusReason: z.string().nullable(),
        lastRun: z
          .object({ id: Id, status: runStatusSchema, finishedAt: Timestamp.nullable(), summary: RunSummaryView })
          .nullable(),
        lastAcceptedAt: Timestamp.nullable().meta({ description: 'When Gradient last accepted a value.' }),
        unmappedAccounts: Count.nullable().meta({
          description: 'Accounts Gradient reported unmapped at the last reconciliation (null: none yet).',
        }),
        failedLines: Count.meta({ description: 'Lines the last run could not deliver.' }),
        pendingSince: Timestamp.nullable().meta({ description: 'While pending: since the key was saved.' }),
      }),
    ),
    nextCursor: z.string().optional().meta({ description: 'Present when more partners remain: pass it as `cursor`.' }),
  }),
  'Fleet',
);
