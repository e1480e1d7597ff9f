// Counts DynamoDB writes at the adapter: a document client whose every write request is tallied per table, in
// requests and in write units as DynamoDB bills them on demand (1 per started KB of each item written).
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../lambdas/adapters/dynamo';

export interface WriteTally {
  requests: number;
  units: number;
}

const unitsOf = (item: Record<string, unknown> | undefined) =>
  Math.max(
    1,
    Math.ceil(Buffer.byteLength(JSON.stringify(marshall(item ?? {}, { removeUndefinedValues: true }))) / 1024),
  );

export function meteredDocumentClient() {
  const doc = createDocumentClient(createDynamoClient());
  const byTable = new Map<string, WriteTally>();
  const add = (table: string, units: number, requests = 1) => {
    const t = byTable.get(table) ?? { requests: 0, units: 0 };
    byTable.set(table, { requests: t.requests + requests, units: t.units + units });
  };
  const send = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
  (doc as { send: unknown }).send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const { input } = command;
    const name = command.constructor.name;
    if (name === 'BatchWriteCommand') {
      const items = input.RequestItems as Record<string, Array<{ PutRequest?: { Item?: Record<string, unknown> } }>>;
      for (const [table, reqs] of Object.entries(items)) {
        add(
          table,
          reqs.reduce((n, r) => n + unitsOf(r.PutRequest?.Item), 0),
        );
      }
    } else if (['PutCommand', 'UpdateCommand', 'DeleteCommand'].includes(name)) {
      add(String(input.TableName), unitsOf(input.Item as Record<string, unknown> | undefined));
    }
    return send(command);
  };
  return {
    doc,
    tally: () => new Map(byTable),
    reset: () => byTable.clear(),
  };
}
