// Local DynamoDB: dynalite in-process on loopback, and the tables of `shared/tables.ts` created in it.
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ALL_TABLES, type KeyDefinition, type TableDefinition } from '../shared/tables';

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
 * waits until all are ACTIVE. TTL is left out: dynalite does not implement it.
 */
export async function ensureTables(client: DynamoDBClient, tableNames: Record<string, string>): Promise<void> {
  await Promise.all(
    ALL_TABLES.map(async (table) => {
      const name = tableNames[table.envVar];
      if (!name) throw new Error(`no table name for ${table.envVar}`);
      if (!(await describeTable(client, name))) {
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
