// The API's schemas of billing-health alerts: the query and the list of a period's alerts.
import * as z from 'zod';
import { alertKindSchema, alertPrioritySchema, alertStatusSchema } from '../../../shared/vocabulary';
import { Id, named, Period, Timestamp } from './common';

export const AlertsQuery = z.object({
  period: Period.optional().meta({
    description:
      'The month (YYYY-MM); default the period the nightly computes now (before the close day, the closed one).',
  }),
});

export const AlertListView = named(
  z.object({
    partnerId: Id,
    period: Period,
    settings: z.object({
      enabled: z.boolean(),
      minUnbilledUnits: z.number().optional(),
      priority: alertPrioritySchema,
    }),
    alerts: z.array(
      z.object({
        alertId: z.string().meta({ description: 'Ours, derived from kind, subject and period: one ticket each.' }),
        kind: alertKindSchema,
        subject: z.string().optional().meta({ description: 'The account or service it is about.' }),
        accountId: z.string().meta({ description: 'The account it was posted on.' }),
        title: z.string(),
        status: alertStatusSchema,
        attempts: z.number().int().nonnegative(),
        messageId: z.string().optional(),
        ticketId: z.string().optional().meta({ description: 'The PSA ticket, once Gradient’s debug route names it.' }),
        detail: z.string().optional(),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      }),
    ),
    refusal: z.object({ reason: z.string(), runId: Id, at: Timestamp }).optional().meta({
      description: 'Gradient refused the period’s alerts (e.g. no Alerts module): nothing more is sent that period.',
    }),
  }),
  'AlertList',
);
