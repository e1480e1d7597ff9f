// Paging, batching and conditional-write checks shared by the repositories. Query only: no Scan anywhere.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { runLimited } from '../../core/calls/pool';

export const DEFAULT_PAGE_SIZE = 500;
/** Writes in flight per call: fast intake without flooding one partition. */
export const WRITE_PARALLELISM = 16;
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;
const BATCHES_IN_FLIGHT = 4;

export type Item = Record<string, unknown>;

/**
 * Every item of a Query, page after page (the SDK's paginator follows LastEvaluatedKey), from just past `startKey`
 * when given (the paginator's starting token: an ExclusiveStartKey in `input` would be overwritten).
 */
export async function* queryItems(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  startKey?: Item,
): AsyncGenerator<Item> {
  for await (const page of paginateQuery({ client: doc, ...(startKey && { startingToken: startKey }) }, input)) {
    for (const item of page.Items ?? []) yield item;
  }
}

export async function queryAll<T>(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const out: T[] = [];
  for await (const item of queryItems(doc, input)) out.push(parseItem(schema, item, input.TableName));
  return out;
}

/** Stored items are an edge too: a malformed one fails loudly with its table, never half-read. */
export function parseItem<T>(schema: z.ZodType<T>, item: Item, table: string | undefined): T {
  const result = schema.safeParse(item);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`malformed item in table ${table ?? '?'}: ${problems}`);
  }
  return result.data;
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** BatchWrite in chunks of 25, resending UnprocessedItems with a short backoff; throws if they never drain. */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
  await runLimited(chunks, BATCHES_IN_FLIGHT, async (chunk) => {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_ATTEMPTS) throw new Error(`BatchWrite on ${table}: ${pending.length} items unprocessed`);
      if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt));
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (res.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  });
}

/** Deletes every item of a partition (keys only are read). */
export async function deletePartition(
  doc: DynamoDBDocumentClient,
  table: string,
  partitionKey: string,
  sortKey: string,
  value: string,
): Promise<void> {
  const keys: Item[] = [];
  for await (const item of queryItems(doc, {
    TableName: table,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
    ExpressionAttributeValues: { ':pk': value },
    ProjectionExpression: '#pk, #sk',
  })) {
    keys.push({ [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] });
  }
  await batchWrite(
    doc,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}

/** A conditional write whose condition did not hold (the SDK's modelled error class). */
export const isConditionalCheckFailed = (err: unknown): boolean => err instanceof ConditionalCheckFailedException;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** TTL attribute for history that should age out (runs, receipts). */
export const expiresAtFrom = (nowMs: number, days = 400): number => Math.floor(nowMs / 1000) + days * 86_400;
