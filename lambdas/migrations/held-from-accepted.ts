// One-off migration of the diff basis: from the period-keyed `accepted` table (one value per line and period) to
// the `held` table (one value per line: what Gradient holds, whatever period it was for). Per line the value
// accepted last (by acceptedAt) becomes the held value. Safe to run again and alongside the new code: every write
// is conditional (a held value as new or newer is never overwritten), lines of disconnected partners are left out
// (Gradient deleted their accounts), and a marker item records the completed migration so a later run does
// nothing. It Scans the legacy table: run by `npm run migrate:held-values` (scripts/) and by the local stack on
// start, never on a Lambda's path.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { parseItem } from '../adapters/dynamo/support';
import type { HeldValue } from '../core/model';
import { lineKey } from '../core/model';

/** The marker's key in the held table: no partner id can start with '#'. */
export const MIGRATION_MARKER = { partnerId: '#migrations', line: 'held-from-accepted' } as const;

export interface MigrationTables {
  TABLE_ACCEPTED: string;
  TABLE_HELD: string;
  TABLE_MAPPINGS: string;
  TABLE_PARTNERS: string;
}

export interface MigrationResult {
  /** false when the marker said the migration was done already (nothing read, nothing written). */
  ran: boolean;
  /** Legacy items read. */
  read: number;
  /** Held values written (a line's later legacy value may overwrite an earlier one it wrote itself). */
  written: number;
  /** Items left as they were: a held value as new or newer exists, or the partner is disconnected. */
  skipped: number;
}

/** A legacy `accepted` item, as the code before the held values wrote it. */
const legacyItem = z.object({
  partnerId: z.string(),
  period: z.string(),
  accountId: z.string(),
  serviceKey: z.string(),
  value: z.number(),
  runId: z.string(),
  acceptedAt: z.string(),
});

export async function migrateHeldValues(
  doc: DynamoDBDocumentClient,
  tables: MigrationTables,
  now: () => Date = () => new Date(),
): Promise<MigrationResult> {
  const done = await doc.send(new GetCommand({ TableName: tables.TABLE_HELD, Key: MIGRATION_MARKER }));
  if (done.Item) return { ran: false, read: 0, written: 0, skipped: 0 };

  const disconnected = memo(async (partnerId: string) => {
    const got = await doc.send(new GetCommand({ TableName: tables.TABLE_PARTNERS, Key: { partnerId } }));
    return got.Item === undefined || got.Item.status === 'disconnected';
  });
  // The partner's Gradient id of the service now: what the value was most likely sent to.
  const serviceId = memo(async (partnerService: string) => {
    const [partnerId, serviceKey] = JSON.parse(partnerService) as [string, string];
    const got = await doc.send(
      new GetCommand({ TableName: tables.TABLE_MAPPINGS, Key: { partnerId, mappingKey: `service#${serviceKey}` } }),
    );
    return typeof got.Item?.gradientServiceId === 'string' ? got.Item.gradientServiceId : undefined;
  });

  const result: MigrationResult = { ran: true, read: 0, written: 0, skipped: 0 };
  for await (const page of paginateScan({ client: doc }, { TableName: tables.TABLE_ACCEPTED })) {
    for (const raw of page.Items ?? []) {
      const item = parseItem(legacyItem, raw, tables.TABLE_ACCEPTED);
      result.read += 1;
      if (await disconnected(item.partnerId)) {
        result.skipped += 1;
        continue;
      }
      const sid = await serviceId(JSON.stringify([item.partnerId, item.serviceKey]));
      const held: HeldValue = {
        partnerId: item.partnerId,
        accountId: item.accountId,
        serviceKey: item.serviceKey,
        value: item.value,
        period: item.period,
        runId: item.runId,
        acceptedAt: item.acceptedAt,
        ...(sid !== undefined && { serviceId: sid }),
      };
      if (await putIfNewer(doc, tables.TABLE_HELD, held)) result.written += 1;
      else result.skipped += 1;
    }
  }
  await doc.send(
    new PutCommand({
      TableName: tables.TABLE_HELD,
      Item: { ...MIGRATION_MARKER, completedAt: now().toISOString(), read: result.read, written: result.written },
    }),
  );
  return result;
}

/** Writes the held value unless the line already holds one accepted at the same time or later. */
async function putIfNewer(doc: DynamoDBDocumentClient, table: string, held: HeldValue): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...held, line: lineKey(held.accountId, held.serviceKey) },
        ConditionExpression: 'attribute_not_exists(#line) OR acceptedAt < :at',
        ExpressionAttributeNames: { '#line': 'line' },
        ExpressionAttributeValues: { ':at': held.acceptedAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = load(key);
      cache.set(key, hit);
    }
    return hit;
  };
}
