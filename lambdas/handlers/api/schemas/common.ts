// The API's shared schema pieces: the registry that names components for the OpenAPI document, ids, dates,
// periods, timestamps, paging cursors and the write-only Partner API key.
import * as z from 'zod';

import { idSchema, isoDateSchema, periodSchema, roundingPolicySchema } from '../../../shared/vocabulary';

/** Named schemas, emitted as `#/components/schemas/<id>`. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
export const named = <S extends z.ZodType>(schema: S, id: string, description?: string): S => {
  apiSchemas.add(schema, description === undefined ? { id } : { id, description });
  return schema;
};

export const Id = idSchema.meta({ examples: ['acme-42'] });

export const IsoDate = isoDateSchema.meta({ format: 'date', examples: ['2026-11-25'] });
export const Period = periodSchema.meta({ examples: ['2026-11'] });
export const Timestamp = z.string().meta({ format: 'date-time' });
export const Count = z.number().int().nonnegative();

/** A page's `nextCursor`, handed back unchanged for the next page; opaque (its content is no contract). */
export const Cursor = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this list answered')
  .meta({ description: 'The `nextCursor` of the previous page; omit for the first page.' });

/** A Partner API key as pasted by a person: surrounding whitespace is dropped; the value is never echoed. */
export const PartnerApiKey = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512, 'is too long')
  .regex(/^[\x21-\x7e]+$/, 'must contain printable characters only (no spaces)')
  .meta({
    description: 'The Partner API key generated in Gradient Synthesize. Write-only: never returned.',
    writeOnly: true,
  });

export const RoundingPolicy = roundingPolicySchema.meta({
  description:
    'How computed usage becomes the pushed value: `none` keeps decimals; `up`, `nearest`, `down` give whole numbers.',
});
