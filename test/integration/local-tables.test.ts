// The local table bootstrap on a data folder of an earlier version: a kept table that lacks an index the
// definition now declares is rebuilt with every item (dynalite cannot add an index), upgraded on the way: the
// runs table's open marker, the partners table's fleet key.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client';
import { DynamoPartnerRepository, withFleetKey } from '../../lambdas/adapters/dynamo/partner-repository';
import { DynamoRunRepository, withOpenMarker } from '../../lambdas/adapters/dynamo/run-repository';
import { emptySummary, type Partner, type Run } from '../../lambdas/core/model';
import { ALL_TABLES, TABLES } from '../../lambdas/shared/tables';
import { ensureTables, type LocalDynamo, startDynalite } from '../../local/dynalite';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../support/local-aws';

let local: LocalDynamo;
let client: DynamoDBClient;
beforeAll(async () => {
  local = await startDynalite();
  client = new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: local.endpoint });
});
afterAll(async () => {
  client.destroy();
  await local.close();
});

const run = (runId: string, status: Run['status']): Run => ({
  runId,
  partnerId: 'msp-1',
  period: '2026-11',
  asOf: '2026-11-25',
  full: false,
  trigger: 'schedule',
  status,
  queuedAt: '2026-11-26T02:00:00.000Z',
  deliveries: status === 'queued' ? 0 : 1,
  continuations: 0,
  summary: emptySummary(),
});

describe('ensureTables on a kept runs table without the open-runs index', () => {
  it('rebuilds it with the index, keeps every item and backfills the open marker', async () => {
    const names = Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `old-${t.id}`]));
    const runsTable = names[TABLES.runs.envVar]!;
    // The runs table as an earlier version created it: keys only, no index.
    await client.send(
      new CreateTableCommand({
        TableName: runsTable,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'partnerId', KeyType: 'HASH' },
          { AttributeName: 'runId', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'partnerId', AttributeType: 'S' },
          { AttributeName: 'runId', AttributeType: 'S' },
        ],
      }),
    );
    const doc = createDocumentClient(client);
    const stored = [run('r1', 'running'), run('r2', 'succeeded'), run('r3', 'queued')];
    for (const item of stored) await doc.send(new PutCommand({ TableName: runsTable, Item: item }));

    await ensureTables(client, names, { [TABLES.runs.envVar]: withOpenMarker });

    const table = (await client.send(new DescribeTableCommand({ TableName: runsTable }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([TABLES.runs.globalIndexes[0].indexName]);
    const runs = new DynamoRunRepository(doc, runsTable, names[TABLES.receipts.envVar]!);
    expect(await runs.list('msp-1', 10)).toEqual([...stored].reverse());
    const open: string[] = [];
    for await (const r of runs.listOpen()) open.push(r.runId);
    expect(open.sort()).toEqual(['r1', 'r3']);
  });
});

describe('ensureTables on a kept partners table without the activity index', () => {
  it('rebuilds it with both indexes and every partner, listed by activity and still by sync', async () => {
    const names = Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `kept-${t.id}`]));
    const partnersTable = names[TABLES.partners.envVar]!;
    // The partners table as the previous version created it: the sync index only, items without `fleet`.
    await client.send(
      new CreateTableCommand({
        TableName: partnersTable,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'partnerId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'partnerId', AttributeType: 'S' },
          { AttributeName: 'syncEnabled', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLES.partners.globalIndexes[0].indexName,
            KeySchema: [
              { AttributeName: 'syncEnabled', KeyType: 'HASH' },
              { AttributeName: 'partnerId', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const doc = createDocumentClient(client);
    const partner = (partnerId: string, updatedAt: string, status: Partner['status']): Partner => ({
      partnerId,
      status,
      roundingPolicy: 'up',
      updatedAt,
    });
    const kept = [
      { ...partner('old-a', '2026-11-01T00:00:00.000Z', 'connected'), syncEnabled: 'Y' },
      partner('old-b', '2026-11-03T00:00:00.000Z', 'disconnected'),
    ];
    for (const item of kept) await doc.send(new PutCommand({ TableName: partnersTable, Item: item }));

    await ensureTables(client, names, { [TABLES.partners.envVar]: withFleetKey });

    const table = (await client.send(new DescribeTableCommand({ TableName: partnersTable }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      TABLES.partners.globalIndexes.map((i) => i.indexName).sort(),
    );
    const partners = new DynamoPartnerRepository(doc, partnersTable);
    expect((await partners.listByActivity({ limit: 10 })).map((p) => p.partnerId)).toEqual(['old-b', 'old-a']);
    const syncing: string[] = [];
    for await (const p of partners.listSyncEnabled()) syncing.push(p.partnerId);
    expect(syncing).toEqual(['old-a']);
  });
});
