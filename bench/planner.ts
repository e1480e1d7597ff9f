// `npm run bench:planner -- --partners 10000`: the nightly planner at fleet scale. The real planner handler,
// planner core and DynamoDB repositories on bench/memory-dynamo.ts (metered as on-demand bills), and the real
// SqsSyncQueue adapter on an SQS client whose `send` records each command and answers it. Both clients wait a
// fixed simulated round trip per call (real wall time, setTimeout), so the wall seconds printed follow the calls
// the planner makes and how many it has in flight, not this machine's CPU.
// Options: --partners 10000 --dynamo-ms 10 --sqs-ms 10 --sqs-fail 0 --before (also the sequential path)
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The global console for Powertools, so that the filter below sees its warnings.
process.env.POWERTOOLS_DEV ??= 'true';

import { parseArgs } from 'node:util';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { TableNames } from '../lambdas/adapters/dynamo';
import type { PlannerDeps } from '../lambdas/core/ports';

// The metrics middleware notes each invocation without metrics (they are disabled here): noise, not a figure.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).startsWith('No application metrics')) warn(...args);
};

function options() {
  const { values } = parseArgs({
    options: {
      partners: { type: 'string', default: '10000' },
      'dynamo-ms': { type: 'string', default: '10' },
      'sqs-ms': { type: 'string', default: '10' },
      'sqs-fail': { type: 'string', default: '0' },
      before: { type: 'boolean', default: false },
    },
  });
  const num = (k: 'partners' | 'dynamo-ms' | 'sqs-ms' | 'sqs-fail', min: number, max = Infinity) => {
    const v = Number(values[k]);
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${k} must be a number in [${min}, ${max}]`);
    return v;
  };
  return {
    partners: Math.floor(num('partners', 1)),
    dynamoMs: num('dynamo-ms', 0),
    sqsMs: num('sqs-ms', 0),
    /** Share of entries SQS answers `Failed` (its side, so resent once) on each attempt: the failure path's cost. */
    sqsFail: num('sqs-fail', 0, 1),
    before: values.before === true,
  };
}
type Options = ReturnType<typeof options>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TICK = '2027-03-04T02:00:00.000Z';

/** What one planning pass cost, as the two clients saw it. */
interface Phase {
  name: string;
  partners: number;
  messages: number;
  batchCalls: number;
  /** Entries per SendMessageBatch call. */
  entries: number[];
  sendCalls: number;
  entriesFailed: number;
  dynamoCalls: number;
  readUnits: number;
  writeUnits: number;
  runsCreated: number;
  wallS: number;
  error?: string;
}

/** A fresh world: `partners` sync-enabled partners stored through the real repository, and metered clients. */
async function world(opts: Options) {
  const { ALL_TABLES } = await import('../lambdas/shared/tables');
  const { createRepositories } = await import('../lambdas/adapters/dynamo');
  const { SqsSyncQueue } = await import('../lambdas/adapters/sqs-queue');
  const { systemClock } = await import('../lambdas/adapters/system-clock');
  const { logPort } = await import('../lambdas/shared/observability');
  const { seededRandom } = await import('../local/seeded-random');
  const { MemoryDynamo } = await import('./memory-dynamo');
  const { SQSClient } = await import('@aws-sdk/client-sqs');

  const tables = Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `plan-${t.id}`])) as TableNames;
  const dynamo = new MemoryDynamo(tables);
  const doc = dynamo.documentClient();
  const meter = { on: false, calls: 0, runsCreated: 0 };
  const store = doc.send.bind(doc) as (command: unknown) => Promise<{ Items?: unknown[] }>;
  doc.send = (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    if (!meter.on) return store(command);
    // memory-dynamo answers an index query in one page; DynamoDB would in pages of the repository's Limit (500):
    // each of those is a round trip, so the latency charged and the calls counted are those pages.
    let res: { Items?: unknown[] };
    try {
      res = await store(command);
    } catch (error) {
      // A refused conditional put (the run exists already) is a round trip too.
      meter.calls += 1;
      await sleep(opts.dynamoMs);
      throw error;
    }
    const limit = Number(command.input.Limit);
    const pages =
      command.constructor.name === 'QueryCommand' && limit > 0
        ? Math.max(1, Math.ceil((res.Items?.length ?? 0) / limit))
        : 1;
    meter.calls += pages;
    await sleep(opts.dynamoMs * pages);
    if (command.constructor.name === 'PutCommand' && command.input.TableName === tables.TABLE_RUNS) {
      meter.runsCreated += 1; // the conditional put did not throw: a new run item
    }
    return res;
  }) as never;
  const { partners, runs } = createRepositories(doc, tables);
  for (let i = 0; i < opts.partners; i++) {
    await partners.put({
      partnerId: `msp-${String(i).padStart(5, '0')}`,
      status: 'connected',
      roundingPolicy: 'up',
      updatedAt: '2027-03-01T00:00:00.000Z',
    });
  }

  const sqs = { batchEntries: [] as number[], sendCalls: 0, sentEntries: 0, failedEntries: 0 };
  const random = seededRandom(7);
  const client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  client.send = (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    await sleep(opts.sqsMs);
    if (command.constructor.name === 'SendMessageCommand') {
      sqs.sendCalls += 1;
      sqs.sentEntries += 1;
      return { MessageId: `m-${sqs.sendCalls}` };
    }
    if (command.constructor.name !== 'SendMessageBatchCommand')
      throw new Error(`unexpected ${command.constructor.name}`);
    const entries = command.input.Entries as Array<{ Id: string }>;
    sqs.batchEntries.push(entries.length);
    const failing = new Set(entries.filter(() => random() < opts.sqsFail).map((e) => e.Id));
    sqs.failedEntries += failing.size;
    sqs.sentEntries += entries.length - failing.size;
    return {
      Successful: entries.filter((e) => !failing.has(e.Id)).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
      Failed: [...failing].map((Id) => ({ Id, SenderFault: false, Code: 'InternalError', Message: 'simulated' })),
    };
  }) as SQSClient['send'];

  const deps: PlannerDeps = {
    partners,
    runs,
    queue: new SqsSyncQueue(client, 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-work'),
    clock: systemClock,
    log: logPort(),
    metrics: { add: () => undefined },
  };

  /** Runs `plan` with the latency on and answers what it cost. */
  const measure = async (name: string, plan: () => Promise<unknown>): Promise<Phase> => {
    const before = { ...sqs, batchEntries: sqs.batchEntries.length, ...dynamo.capacity, ...meter };
    meter.on = true;
    const started = performance.now();
    let error: string | undefined;
    try {
      await plan();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const wallS = (performance.now() - started) / 1000;
    meter.on = false;
    return {
      name,
      partners: opts.partners,
      messages: sqs.sentEntries - before.sentEntries,
      batchCalls: sqs.batchEntries.length - before.batchEntries,
      entries: sqs.batchEntries.slice(before.batchEntries),
      sendCalls: sqs.sendCalls - before.sendCalls,
      entriesFailed: sqs.failedEntries - before.failedEntries,
      dynamoCalls: meter.calls - before.calls,
      readUnits: dynamo.capacity.read - before.read,
      writeUnits: dynamo.capacity.write - before.write,
      runsCreated: meter.runsCreated - before.runsCreated,
      wallS,
      ...(error && { error }),
    };
  };
  return { deps, measure };
}

/** The planner before batching, kept to compare: one `enqueueRun` (a run put, then one SendMessage) per partner. */
async function sequentialPlan(deps: PlannerDeps, scheduledAt: Date): Promise<void> {
  const { nightlyTarget } = await import('../lambdas/core/sync/plan');
  const { enqueueRun, newRunId } = await import('../lambdas/core/sync/enqueue');
  const { billingTarget } = await import('../lambdas/core/sync/billing-period');
  const { closeDayOf } = await import('../lambdas/core/partners');
  const target = nightlyTarget(scheduledAt);
  const runId = newRunId(scheduledAt, 'schedule', 'nightly');
  for await (const partner of deps.partners.listSyncEnabled()) {
    const own = billingTarget(target.asOf, closeDayOf(partner));
    await enqueueRun(deps, {
      runId,
      partnerId: partner.partnerId,
      ...own,
      full: false,
      trigger: 'schedule',
      queuedAt: deps.clock.now(),
    });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function table(phases: Phase[], opts: Options): string {
  const rows = phases.map((p) => {
    const mean = p.entries.length ? p.entries.reduce((a, b) => a + b, 0) / p.entries.length : 0;
    const per = p.entries.length ? `${Math.min(...p.entries)} / ${fmt(mean, 2)} / ${Math.max(...p.entries)}` : '—';
    return `| ${p.name} | ${fmt(p.partners)} | ${fmt(p.messages)} | ${fmt(p.batchCalls)} | ${per} | ${fmt(p.sendCalls)} | ${fmt(p.entriesFailed)} | ${fmt(p.dynamoCalls)} | ${fmt(p.readUnits, 1)} | ${fmt(p.writeUnits)} | ${fmt(p.runsCreated)} | ${p.wallS.toFixed(2)} |`;
  });
  return [
    `Simulated round trip: DynamoDB ${opts.dynamoMs} ms per call, SQS ${opts.sqsMs} ms per call; SQS fails ${opts.sqsFail * 100} % of entries per attempt.`,
    '',
    '| pass | partners | messages sent | SendMessageBatch calls | entries per call (min / mean / max) | SendMessage calls | entries SQS failed | DynamoDB calls | read units | write units | run items created | wall s |',
    '|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = options();
  const { createPlannerHandler } = await import('../lambdas/handlers/planner');
  const phases: Phase[] = [];
  const batched = await world(opts);
  const planner = createPlannerHandler(async () => batched.deps);
  const invoke = () => planner({ scheduledTime: TICK }, {} as never);
  phases.push(await batched.measure('batched (planner handler)', invoke));
  phases.push(await batched.measure('batched, same tick again', invoke));
  if (opts.before) {
    const sequential = await world(opts);
    phases.push(await sequential.measure('sequential (before)', () => sequentialPlan(sequential.deps, new Date(TICK))));
  }
  process.stdout.write(`${table(phases, opts)}\n`);
  for (const p of phases) {
    if (p.error) process.stdout.write(`\n${p.name}: the planner failed: ${p.error.slice(0, 300)}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
