// Paging, batching and bounded parallelism shared by the repositories. Query only: no Scan anywhere.
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';

export const DEFAULT_PAGE_SIZE = 500;
/** Writes in flight per call: fast intake without flooding one partition. */
export const WRITE_PARALLELISM = 16;
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;

export type Item = Record<string, unknown>;

/** Every item of a Query, page after page. */
export async function* queryItems(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    for (const item of page.Items ?? []) yield item;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
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
  await mapLimit(chunks, 4, async (chunk) => {
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

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects (after in-flight ones settle). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}

export const isConditionalCheckFailed = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** TTL attribute for history that should age out (runs, receipts). */
export const expiresAtFrom = (nowMs: number, days = 400): number => Math.floor(nowMs / 1000) + days * 86_400;
