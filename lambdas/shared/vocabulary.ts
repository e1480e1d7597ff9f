// The zod forms of the domain's vocabularies, built from `core/model/`'s const arrays: stored items, queue
// messages and the API's schemas all validate with these, so a new status or counter is added in one place.
import * as z from 'zod';
import {
  ALERT_KINDS,
  ALERT_PRIORITY_RULE,
  ALERT_STATUSES,
  AVERAGE_BASES,
  CLOSE_DAY_RULE,
  CONNECTION_FAILURES,
  ID_PATTERN,
  ID_RULE,
  ISO_DATE_PATTERN,
  isValidQuantity,
  isValidUnitScale,
  LINE_OUTCOMES,
  LINE_REASONS,
  MAX_ALERT_PRIORITY,
  MAX_CLOSE_DAY,
  MAX_LINE_CHANGES,
  MIN_ALERT_PRIORITY,
  MIN_CLOSE_DAY,
  PARTNER_STATUSES,
  PERIOD_PATTERN,
  QUANTITY_RULE,
  RATE_SCOPES,
  ROUNDING_POLICIES,
  RUN_LANES,
  RUN_STATUSES,
  RUN_SUMMARY_FIELDS,
  RUN_TRIGGERS,
  type RunSummary,
  UNIT_SCALE_RULE,
} from '../core/model';
import { isValidIsoDate } from '../core/period';

export const idSchema = z.string().regex(ID_PATTERN, ID_RULE);
export const periodSchema = z.string().regex(PERIOD_PATTERN, 'must be a period YYYY-MM');
export const isoDateSchema = z
  .string()
  .regex(ISO_DATE_PATTERN, 'must be a date YYYY-MM-DD')
  .refine(isValidIsoDate, 'not a real calendar date');

/** A usage quantity and a service's unitScale, within the bounds the store can hold (`core/model/rules.ts`). */
export const quantitySchema = z.number().refine(isValidQuantity, QUANTITY_RULE);
export const unitScaleSchema = z.number().refine(isValidUnitScale, UNIT_SCALE_RULE);

export const averageBasisSchema = z.enum(AVERAGE_BASES);
/** A partner's close day (`core/model/rules.ts`). */
export const closeDaySchema = z
  .number()
  .int(CLOSE_DAY_RULE)
  .min(MIN_CLOSE_DAY, CLOSE_DAY_RULE)
  .max(MAX_CLOSE_DAY, CLOSE_DAY_RULE);

export const partnerStatusSchema = z.enum(PARTNER_STATUSES);
export const alertKindSchema = z.enum(ALERT_KINDS);
export const alertStatusSchema = z.enum(ALERT_STATUSES);
export const alertPrioritySchema = z
  .number()
  .int(ALERT_PRIORITY_RULE)
  .min(MIN_ALERT_PRIORITY, ALERT_PRIORITY_RULE)
  .max(MAX_ALERT_PRIORITY, ALERT_PRIORITY_RULE);
/** A partner's alert setting, as stored and as PATCHed. */
export const alertSettingsSchema = z.object({
  enabled: z.boolean(),
  minUnbilledUnits: quantitySchema.optional(),
  priority: alertPrioritySchema.optional(),
});
export const roundingPolicySchema = z.enum(ROUNDING_POLICIES);
export const rateScopeSchema = z.enum(RATE_SCOPES);
export const runStatusSchema = z.enum(RUN_STATUSES);
export const runTriggerSchema = z.enum(RUN_TRIGGERS);
export const runLaneSchema = z.enum(RUN_LANES);
export const lineOutcomeSchema = z.enum(LINE_OUTCOMES);
export const connectionFailureSchema = z.enum(CONNECTION_FAILURES);
export const lineReasonSchema = z.enum(LINE_REASONS);
/** What moved a line's value (`core/model/lines.ts`'s LineChange): a state change, or a metered day for `sum`. */
export const lineChangesSchema = z
  .array(
    z.union([
      z.object({ date: z.string(), from: z.number(), to: z.number() }),
      z.object({ date: z.string(), quantity: z.number() }),
    ]),
  )
  .max(MAX_LINE_CHANGES);

/** A run's counters, each a whole number ≥ 0. */
export const runSummarySchema = z.object(
  Object.fromEntries(RUN_SUMMARY_FIELDS.map((field) => [field, z.number().int().nonnegative()])) as Record<
    keyof RunSummary,
    z.ZodNumber
  >,
);
