// Zod schemas of Gradient's response bodies. Lenient on purpose: unknown fields pass, optional fields may be
// null (Gradient is a NestJS/MongoDB app and nulls are common there), but the fields we rely on must be there.
import * as z from 'zod';
import type {
  GradientAccount,
  GradientAlertQueued,
  GradientAlertTicket,
  GradientOrganization,
  GradientSku,
} from '../core/ports';

/** Ids are sent as strings; a numeric id coming back is still usable, so accept and stringify it. */
const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

export const organizationSchema = z
  .looseObject({
    organizationId: idSchema,
    name: z.string(),
    vendorId: idSchema.nullish(),
    vendorName: optionalText,
    integrationId: idSchema.nullish(),
    status: optionalText,
    lastSyncedAt: optionalText,
  })
  .transform(
    (o): GradientOrganization => ({
      organizationId: o.organizationId,
      name: o.name,
      ...(o.vendorId != null && { vendorId: o.vendorId }),
      ...(o.vendorName !== undefined && { vendorName: o.vendorName }),
      ...(o.integrationId != null && { integrationId: o.integrationId }),
      ...(o.status !== undefined && { status: o.status }),
      ...(o.lastSyncedAt !== undefined && { lastSyncedAt: o.lastSyncedAt }),
    }),
  );

/** `isMapped` is SDK-DS's; Gradient's documented sample lists `id, name, description` only (the shape the emulator serves after `POST /__emulator/account-shape` `{"shape":"older"}`, docs/emulator.md). */
export const accountListSchema = z.array(
  z
    .looseObject({ id: idSchema, name: z.string(), description: optionalText, isMapped: z.boolean().nullish() })
    .transform(
      (a): GradientAccount => ({
        id: a.id,
        name: a.name,
        ...(a.description !== undefined && { description: a.description }),
        ...(a.isMapped != null && { isMapped: a.isMapped }),
      }),
    ),
);

const skuSchema = z
  .looseObject({
    id: idSchema.optional(),
    _id: idSchema.optional(),
    name: z.string(),
    description: optionalText,
    category: optionalText,
    subcategory: optionalText,
  })
  .refine((s) => s.id !== undefined || s._id !== undefined, { message: 'sku has neither id nor _id' })
  .transform(
    (s): GradientSku => ({
      id: (s.id ?? s._id) as string,
      name: s.name,
      ...(s.description !== undefined && { description: s.description }),
      ...(s.category !== undefined && { category: s.category }),
      ...(s.subcategory !== undefined && { subcategory: s.subcategory }),
    }),
  );

/** POST /service answers VendorData itself. */
export const vendorDataSchema = z.looseObject({ skus: z.array(skuSchema) });

/** GET /api/vendor-api wraps VendorData in {status, message, data}. */
export const vendorResponseSchema = z.looseObject({ data: vendorDataSchema });

/** PATCH routes and the count answer a small status object (or, for accounts, the account); shape barely documented. */
export const ackSchema = z.looseObject({});

export const createdAccountsSchema = z.array(z.looseObject({ id: idSchema }));

/** The name-ish fields a client object of Get Clients may carry, in the order they are trusted. */
const CLIENT_NAME_FIELDS = ['name', 'companyName', 'clientName', 'displayName', 'title'] as const;

const clientName = (element: unknown): string | undefined => {
  if (typeof element === 'string') return element;
  if (typeof element !== 'object' || element === null) return undefined;
  const fields = element as Record<string, unknown>;
  const name = CLIENT_NAME_FIELDS.map((f) => fields[f]).find((v) => typeof v === 'string');
  return name as string | undefined;
};

/**
 * Get Clients (deprecated): `{meta, clients}` with an undocumented element shape. Strings, or objects with a
 * name-ish field, give a name; anything else is skipped rather than failing the list.
 */
export const clientsSchema = z.looseObject({ clients: z.array(z.unknown()) }).transform(({ clients }) => ({
  clients: clients
    .map(clientName)
    .map((n) => n?.trim())
    .filter((n): n is string => n !== undefined && n.length > 0),
}));

/** AlertCreatedDto `{messageId, alertId, correlationID}` (capital `ID`, as Gradient spells it). */
export const alertQueuedSchema = z
  .looseObject({ messageId: idSchema, alertId: idSchema, correlationID: idSchema.nullish() })
  .transform(
    (a): GradientAlertQueued => ({
      messageId: a.messageId,
      alertId: a.alertId,
      ...(a.correlationID != null && { correlationId: a.correlationID }),
    }),
  );

/** RetrieveAlertResponseDto: every field optional; nulls read as absent. */
export const alertTicketSchema = z
  .looseObject({
    ticketId: idSchema.nullish(),
    status: optionalText,
    statusCode: z.number().nullish(),
    message: optionalText,
    errors: z.array(z.string()).nullish(),
    createdAt: optionalText,
  })
  .transform(
    (t): GradientAlertTicket => ({
      ...(t.ticketId != null && t.ticketId !== '' && { ticketId: t.ticketId }),
      ...(t.status !== undefined && { status: t.status }),
      ...(t.statusCode != null && { statusCode: t.statusCode }),
      ...(t.message !== undefined && { message: t.message }),
      ...(t.errors != null && { errors: t.errors }),
      ...(t.createdAt !== undefined && { createdAt: t.createdAt }),
    }),
  );

/** Error bodies: NestJS `{statusCode, message}` where message may be a string or a list of validation messages. */
export const errorBodySchema = z.looseObject({
  message: z.union([z.string(), z.array(z.string())]).optional(),
  error: z.string().optional(),
});
