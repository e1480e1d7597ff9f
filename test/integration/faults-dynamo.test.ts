// Fault tests, DynamoDB side: throttling injected into the worker's own DynamoDB client (a middleware inside the
// SDK's retry loop, so every attempt sees it), with the production client settings. Either the SDK's retries
// absorb it, or the message fails and its redelivery completes the run: never a run marked complete with lines
// missing, never a line sent twice. Each test ends with the shared run invariants.
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createDynamoClient, createRepositories } from '../../lambdas/adapters/dynamo';
import type { AppDeps } from '../../lambdas/core/ports';
import type { LocalStack } from '../../local/stack';
import {
  expectRunInvariants,
  faultWorker,
  nightly,
  type SeededPartner,
  seedPartner,
  startFaultStack,
} from '../support/fault-helpers';

/** Exhausting the SDK's retries takes seconds of throttling back-off at its default 4 attempts; 2 show the same. */
const FEW_ATTEMPTS = 2;

type Marshalled = Record<string, { S?: string } | undefined>;

interface ThrottleRule {
  command: 'PutItemCommand' | 'UpdateItemCommand' | 'QueryCommand' | 'GetItemCommand';
  /** Which table, by its environment variable (e.g. TABLE_RECEIPTS). */
  table: string;
  /** Only the item with this key attribute value; any request of the command when absent. */
  key?: { attribute: 'line'; value: string };
  /** SDK attempts that fail, or 'all' for as many as the client makes per call (the call fails). */
  times: number | 'all';
  error: 'ProvisionedThroughputExceededException' | 'ThrottlingException';
}

/** The worker's DynamoDB (production client settings), throttled by `rules`; `thrown()` counts injected errors. */
async function throttledDeps(stack: LocalStack, rules: ThrottleRule[], maxAttempts?: number) {
  const client: DynamoDBClient = createDynamoClient(maxAttempts ? { maxAttempts } : {});
  const attempts = await client.config.maxAttempts();
  const left = rules.map((r) => (r.times === 'all' ? attempts : r.times));
  let thrown = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; Item?: Marshalled; Key?: Marshalled };
      const index = rules.findIndex(
        (r, i) =>
          left[i]! > 0 &&
          r.command === context.commandName &&
          input.TableName === stack.env[r.table as keyof typeof stack.env] &&
          (r.key === undefined || (input.Item ?? input.Key)?.[r.key.attribute]?.S === r.key.value),
      );
      if (index >= 0) {
        left[index]! -= 1;
        thrown++;
        const opts = { message: 'Rate of requests exceeds the allowed throughput (injected)', $metadata: {} };
        throw rules[index]!.error === 'ThrottlingException'
          ? new ThrottlingException(opts)
          : new ProvisionedThroughputExceededException(opts);
      }
      return next(args);
    },
    // After the retry middleware (finalizeRequest, high): each SDK attempt passes through here.
    { step: 'finalizeRequest', priority: 'low', name: 'injectThrottling' },
  );
  const deps: AppDeps = { ...stack.deps, ...createRepositories(createDocumentClient(client), stack.env) };
  return { deps, client, thrown: () => thrown, left: () => left.reduce((a, b) => a + b, 0) };
}

let s: LocalStack;
let seeded: SeededPartner;
let client: DynamoDBClient | undefined;
beforeAll(async () => {
  s = await startFaultStack();
  seeded = await seedPartner(s);
});
afterEach(() => {
  client?.destroy();
  client = undefined;
});
afterAll(async () => {
  await s?.close();
});

async function throttle(rules: ThrottleRule[], maxAttempts?: number) {
  const throttled = await throttledDeps(s, rules, maxAttempts);
  client = throttled.client;
  return throttled;
}

describe('the nightly under DynamoDB throttling', () => {
  it('finishes in one delivery when the SDK retries absorb the throttling', async () => {
    const throttled = await throttle([
      { command: 'UpdateItemCommand', table: 'TABLE_RUNS', times: 1, error: 'ThrottlingException' },
      {
        command: 'PutItemCommand',
        table: 'TABLE_HELD',
        key: { attribute: 'line', value: 'acct-003#scans' },
        times: 2,
        error: 'ProvisionedThroughputExceededException',
      },
      { command: 'QueryCommand', table: 'TABLE_RECEIPTS', times: 1, error: 'ProvisionedThroughputExceededException' },
    ]);
    const { runId, before } = await nightly(s, faultWorker(s, {}, throttled.deps));

    expect(throttled.thrown()).toBe(4);
    const { run } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(1);
  });

  it('fails the message when taking the run outlasts the SDK retries; the redelivery runs it', async () => {
    const throttled = await throttle(
      [{ command: 'UpdateItemCommand', table: 'TABLE_RUNS', times: 'all', error: 'ThrottlingException' }],
      FEW_ATTEMPTS,
    );
    const { runId, before } = await nightly(s, faultWorker(s, {}, throttled.deps));

    expect(throttled.left()).toBe(0);
    const { run } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(1); // the throttled delivery never took the run
    expect(s.queue.deadLetters).toHaveLength(0);
  });

  it('fails the message when a receipt cannot be written after Gradient accepted; the redelivery sends nothing twice', async () => {
    const throttled = await throttle(
      [
        {
          command: 'PutItemCommand',
          table: 'TABLE_RECEIPTS',
          key: { attribute: 'line', value: 'acct-005#seats' },
          times: 'all',
          error: 'ProvisionedThroughputExceededException',
        },
      ],
      FEW_ATTEMPTS,
    );
    const { runId, before } = await nightly(s, faultWorker(s, {}, throttled.deps));

    expect(throttled.left()).toBe(0);
    const { run, receipts } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(2);
    expect(receipts.get('acct-005/seats')).toMatchObject({ outcome: 'accepted', pushed: 6 });
  });
});
