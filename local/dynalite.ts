// Local DynamoDB: dynalite in-process on loopback, and the tables of `shared/tables.ts` created in it.
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDocumentClient } from '../lambdas/adapters/dynamo/client';
import { batchWrite, type Item } from '../lambdas/adapters/dynamo/support';
import { ALL_TABLES, type KeyDefinition, type TableDefinition } from '../lambdas/shared/tables';

/** Per table env variable: how a kept item is rewritten when its table is rebuilt (e.g. a new index's key). */
export type ItemUpgrades = Partial<Record<string, (item: Item) => Item>>;

const ACTIVE_TIMEOUT_MS = 10_000;

export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/** In memory by default; with `path` the data lives in that (git-ignored) folder across runs. */
export async function startDynalite(opts: { path?: string } = {}): Promise<LocalDynamo> {
  if (opts.path) await mkdir(opts.path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: opts.path });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of SDK clients would otherwise hold the close open.
        server.closeIdleConnections();
      }),
  };
}

/**
 * Creates every table of `shared/tables.ts` that is missing, under the names given per env variable, and
 * waits until all are ACTIVE. A kept table (a data folder of an earlier version) that lacks a declared index is
 * rebuilt with its items, passed through `upgrades`: dynalite cannot add an index to a table. TTL is left out:
 * dynalite does not implement it.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tableNames: Record<string, string>,
  upgrades: ItemUpgrades = {},
): Promise<void> {
  await Promise.all(
    ALL_TABLES.map(async (table) => {
      const name = tableNames[table.envVar];
      if (!name) throw new Error(`no table name for ${table.envVar}`);
      const existing = await describeTable(client, name);
      if (existing && lacksIndex(existing, table)) {
        await rebuild(client, table, name, upgrades[table.envVar] ?? ((item) => item));
      } else if (!existing) {
        try {
          await client.send(new CreateTableCommand(createInput(table, name)));
        } catch (err) {
          // Another process created it between our look and our create: fine.
          if (!(err instanceof ResourceInUseException)) throw err;
        }
      }
      await waitActive(client, name);
    }),
  );
}

const lacksIndex = (existing: TableDescription, table: TableDefinition): boolean =>
  (table.globalIndexes ?? []).some((i) => !existing.GlobalSecondaryIndexes?.some((e) => e.IndexName === i.indexName));

/** Reads every item (a local one-off, so a Scan), recreates the table from its definition, writes them back. */
async function rebuild(client: DynamoDBClient, table: TableDefinition, name: string, upgrade: (item: Item) => Item) {
  const doc = createDocumentClient(client);
  const items: Item[] = [];
  for await (const page of paginateScan({ client: doc }, { TableName: name })) items.push(...(page.Items ?? []));
  await client.send(new DeleteTableCommand({ TableName: name }));
  while (await describeTable(client, name)) await new Promise((resolve) => setTimeout(resolve, 25));
  await client.send(new CreateTableCommand(createInput(table, name)));
  await waitActive(client, name);
  await batchWrite(
    doc,
    name,
    items.map((item) => ({ PutRequest: { Item: upgrade(item) } })),
  );
}

function createInput(table: TableDefinition, name: string) {
  const keys = new Map<string, KeyDefinition>();
  const schema = (pk: KeyDefinition, sk?: KeyDefinition) => {
    keys.set(pk.name, pk);
    if (sk) keys.set(sk.name, sk);
    return [
      { AttributeName: pk.name, KeyType: 'HASH' as const },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
    ];
  };
  const KeySchema = schema(table.partitionKey, table.sortKey);
  const GlobalSecondaryIndexes = table.globalIndexes?.map((index) => ({
    IndexName: index.indexName,
    KeySchema: schema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' as const },
  }));
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema,
    AttributeDefinitions: [...keys.values()].map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    GlobalSecondaryIndexes,
  };
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describeTable(client, name);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE after ${ACTIVE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
