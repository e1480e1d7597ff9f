// Schemas of what crosses the queue and the schedule: validated on receipt, whoever sent it.
import * as z from 'zod';
import type { SyncMessage } from '../core/model';
import { idSchema, isoDateSchema, periodSchema, runLaneSchema, runTriggerSchema } from './vocabulary';

export const syncRequestSchema = z.object({
  runId: z.string().min(1).max(200),
  partnerId: idSchema,
  period: periodSchema,
  asOf: isoDateSchema,
  full: z.boolean(),
  trigger: runTriggerSchema,
  lane: runLaneSchema.optional(),
  /** Set on a continuation: the n-th hand-over of the run. Absent on the first message (and on older ones). */
  continuation: z.number().int().positive().optional(),
}) satisfies z.ZodType<SyncMessage>;

/** The planner's input: EventBridge Scheduler passes `<aws.scheduler.scheduled-time>`; a manual invoke may omit it. */
export const plannerInputSchema = z
  .object({ scheduledTime: z.iso.datetime({ offset: true }).optional() })
  .passthrough()
  .nullish();
