// Schemas of what crosses the queue and the schedule: validated on receipt, whoever sent it.
import { z } from 'zod';
import type { SyncRequest } from '../core/model';
import { isValidIsoDate, isValidPeriod } from '../core/period';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1–128 letters, digits, . _ : -');

export const syncRequestSchema = z.object({
  runId: z.string().min(1).max(200),
  partnerId: id,
  period: z.string().refine(isValidPeriod, 'must be a YYYY-MM month'),
  asOf: z.string().refine(isValidIsoDate, 'must be a real YYYY-MM-DD date'),
  full: z.boolean(),
  trigger: z.enum(['schedule', 'resync']),
}) satisfies z.ZodType<SyncRequest>;

/** The planner's input: EventBridge Scheduler passes `<aws.scheduler.scheduled-time>`; a manual invoke may omit it. */
export const plannerInputSchema = z
  .object({ scheduledTime: z.iso.datetime({ offset: true }).optional() })
  .passthrough()
  .nullish();
