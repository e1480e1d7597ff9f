// The zod forms of the vendor's events (core/model/events.ts): strict, so an event never carries a field the
// documentation (docs/events.md) does not show; the EventBridge adapter checks every event with them.
import * as z from 'zod';
import { EVENT_SOURCE, type EventDetailType, type VendorEvent } from '../core/model';
import {
  alertKindSchema,
  alertStatusSchema,
  partnerStatusSchema,
  runStatusSchema,
  runSummarySchema,
  runTriggerSchema,
} from './vocabulary';

const text = z.string().min(1);

export const eventDetailSchemas = {
  'Run Finished': z.strictObject({
    partnerId: text,
    runId: text,
    period: text,
    asOf: text,
    trigger: runTriggerSchema,
    status: runStatusSchema,
    summary: runSummarySchema.strict(),
    error: z.strictObject({ code: text, message: z.string() }).optional(),
    finishedAt: z.string(),
  }),
  'Partner Status Changed': z.strictObject({
    partnerId: text,
    organizationName: z.string().optional(),
    from: partnerStatusSchema.optional(),
    to: partnerStatusSchema,
    reason: z.string().optional(),
    at: text,
  }),
  'Run Dead-Lettered': z.strictObject({
    partnerId: text,
    runId: text,
    period: text,
    receiveCount: z.number().int().positive(),
    reason: z.string(),
    at: text,
  }),
  'Billing Alert Raised': z.strictObject({
    partnerId: text,
    period: text,
    alertId: text,
    kind: alertKindSchema,
    subject: z.string().optional(),
    title: z.string(),
    status: z.union([alertStatusSchema, z.literal('refused')]),
    at: text,
  }),
} as const satisfies Record<EventDetailType, z.ZodType>;

/** Throws when an event is not one this service documents. */
export function checkEvent(event: VendorEvent): void {
  if (event.source !== EVENT_SOURCE) throw new Error(`event source ${event.source} is not ${EVENT_SOURCE}`);
  const schema = eventDetailSchemas[event.detailType];
  if (!schema) throw new Error(`unknown event detail type ${event.detailType}`);
  const parsed = schema.safeParse(event.detail);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`event ${event.detailType} is malformed: ${where}`);
  }
}
