// Why bench:calendar keeps its own DynamoDB in memory (memory-dynamo.ts) rather than dynalite: the nightly's most
// frequent write (the value Gradient now holds, one per accepted line) through the real repository, against
// dynalite on loopback and against the in-memory store, at the worker's 16 calls in flight. `npm run bench:store`.
import { parseArgs } from 'node:util';
import { createDocumentClient, createDynamoClient, createRepositories } from '../lambdas/adapters/dynamo';
import { runLimited } from '../lambdas/core/calls/pool';
import type { HeldValue } from '../lambdas/core/model';
import { ALL_TABLES } from '../lambdas/shared/tables';
import { ensureTables, startDynalite } from '../local/dynalite';
import { MemoryDynamo } from './memory-dynamo';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '3000' } } });
const WRITES = Number(values.writes);
const IN_FLIGHT = 16;
const tables = Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `rate-${t.id}`]));

const held = (i: number): HeldValue => ({
  partnerId: `msp-${i % 10}`,
  accountId: `acct-${i}`,
  serviceKey: 'seat',
  value: i,
  period: '2026-11',
  runId: '20261126T020000Z-n-rate',
  acceptedAt: '2026-11-26T02:00:00.000Z',
  serviceId: 'sku-seat',
  basis: { asOf: '2026-11-25', days: Array.from({ length: 25 }, () => i % 7) },
});

async function rate(repos: ReturnType<typeof createRepositories>): Promise<number> {
  const items = Array.from({ length: WRITES }, (_, i) => i);
  const started = performance.now();
  await runLimited(
    items,
    IN_FLIGHT,
    (i) => repos.held.put(held(i)),
    () => true,
  );
  return WRITES / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const dynamo = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  const client = createDynamoClient();
  await ensureTables(client, tables);
  const onDynalite = await rate(createRepositories(createDocumentClient(client), tables as never));
  client.destroy();
  await dynamo.close();
  const onMemory = await rate(createRepositories(new MemoryDynamo(tables).documentClient(), tables as never));
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`held-value writes, ${fmt(WRITES)} at ${IN_FLIGHT} in flight, through the real repository:`);
  console.log(`  dynalite on loopback: ${fmt(onDynalite)} writes/s`);
  console.log(`  memory-dynamo:        ${fmt(onMemory)} writes/s (${(onMemory / onDynalite).toFixed(0)}× dynalite)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
