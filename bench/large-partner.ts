// `npm run bench:large`: one MSP of 50,000 lines on its first night, through the real planner, worker handlers,
// core and DynamoDB repositories, in the calendar bench's simulated world (bench/calendar-sim.ts: virtual time, a
// vendor-wide Gradient answering 429 past 100 requests a second, the queue with visibility timeout and
// maxReceiveCount; bench/memory-dynamo.ts: DynamoDB in memory, metered). 50,000 count posts at 95 req/s need more
// than one 300 s delivery: the night must continue, finish `succeeded`, bill every line right and send none twice.
// Options: --accounts 10000 --services 5 --workers 4 --budget 95 --timeout-s 300 --as-of-day 14 --unmapped 0
// (services the MSP never mapped: 404s) --basis to_date|projected (default: the catalog's default for a new service)
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Powertools' own console bypasses the filter below unless it writes to the global one.
process.env.POWERTOOLS_DEV ??= 'true';

import { parseArgs } from 'node:util';
import type { AverageBasis } from '../lambdas/core/model';
import type { WorkerHandler } from '../local/in-process-queue';

const started = performance.now();
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  // The metrics middleware notes each invocation without metrics (they are disabled here): noise.
  if (!String(args[0]).startsWith('No application metrics')) warn(...args);
};
const say = (m: string) =>
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function options() {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '10000' },
      services: { type: 'string', default: '5' },
      workers: { type: 'string', default: '4' },
      budget: { type: 'string', default: '95' },
      'timeout-s': { type: 'string', default: '300' },
      'as-of-day': { type: 'string', default: '14' },
      basis: { type: 'string' },
      unmapped: { type: 'string', default: '0' },
    },
  });
  const n = (k: Exclude<keyof typeof values, 'basis' | 'unmapped'>, max = Number.MAX_SAFE_INTEGER) => {
    const v = Number(values[k]);
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${k} must be a whole number from 1 to ${max}`);
    return v;
  };
  if (values.basis !== undefined && values.basis !== 'to_date' && values.basis !== 'projected')
    throw new Error('--basis must be to_date or projected');
  return {
    accounts: n('accounts'),
    services: n('services', 5),
    workers: n('workers'),
    budget: n('budget'),
    timeoutS: n('timeout-s'),
    asOfDay: asOfDay(n('as-of-day', 30)),
    basis: values.basis as AverageBasis | undefined,
    unmapped: unmappedOf(Number(values.unmapped), Number(values.services)),
  };
}

/** Past the default close days (1–5), so the night computes this month; the night runs the day after. */
const asOfDay = (day: number) => {
  if (day < 5) throw new Error('--as-of-day must be from 5 to 30');
  return day;
};

const unmappedOf = (n: number, services: number) => {
  if (!Number.isInteger(n) || n < 0 || n >= services) throw new Error('--unmapped must be from 0 to --services − 1');
  return n;
};

const PERIOD = '2027-01';
const PREVIOUS = '2026-12';
const PARTNER = 'large-msp-0001';

async function main(): Promise<void> {
  const opts = options();
  const { createWorkerHandler, safetyMargin } = await import('../lambdas/handlers/worker');
  const { workerProcess, workerSettings } = await import('../lambdas/wiring');
  const { createPlannerHandler } = await import('../lambdas/handlers/planner');
  const { upsertAccount, upsertService } = await import('../lambdas/core/intake');
  const { saveConnection } = await import('../lambdas/core/connection');
  const { NEW_SERVICE_AVERAGE_BASIS } = await import('../lambdas/core/model');
  const { VirtualClock } = await import('./calendar-sim');
  const { simWorld } = await import('./sim-world');
  const { mapLimit } = await import('./workload');
  const { CountingGradient } = await import('./counting-gradient');
  const { expectedValues, generateLargePartner } = await import('./large-partner-data');
  const { nightChecks } = await import('./large-partner-checks');

  const tick = Date.parse(`${PERIOD}-${String(opts.asOfDay + 1).padStart(2, '0')}T02:00:00Z`);
  const clock = new VirtualClock(tick - 2 * 3_600_000);
  const counting = new CountingGradient(clock);
  const { env, dynamo, gradient, queue, deps, getDeps } = await simWorld({
    tablePrefix: 'large',
    budget: opts.budget,
    workers: opts.workers,
    clock,
    wrapGradient: (port) => counting.wrap(port),
  });

  // ---- seeding (not measured) ---------------------------------------------------------------------------------
  const data = generateLargePartner({
    partnerId: PARTNER,
    accounts: opts.accounts,
    services: opts.services,
    period: PERIOD,
    asOfDay: opts.asOfDay,
    previousPeriod: PREVIOUS,
    seed: 11,
  });
  for (const { serviceKey, ...service } of data.services) {
    const input = service.aggregation === 'average' && opts.basis ? { ...service, averageBasis: opts.basis } : service;
    await upsertService(deps, serviceKey, input as never);
  }
  const basis = opts.basis ?? NEW_SERVICE_AVERAGE_BASIS;
  const storedBases = new Set<string>();
  for (const s of await deps.catalog.list())
    if (s.aggregation === 'average') storedBases.add(s.averageBasis ?? 'absent');
  const key = `large-key-${opts.accounts}`;
  // The MSP never mapped the last `--unmapped` services in Synthesize: their counts are answered 404.
  const refused = data.services.slice(data.services.length - opts.unmapped);
  gradient.addPartner(
    key,
    'Large MSP',
    refused.map((s) => s.name),
  );
  await mapLimit(data.accountIds, 16, async (accountId) => {
    await upsertAccount(deps, PARTNER, accountId, { name: `Company ${accountId.slice(-6)}` });
  });
  const snapshots = data.batches.reduce((n, b) => n + b.length, 0);
  for (const batch of data.batches) await deps.usage.putSnapshots(batch);
  await saveConnection(deps, PARTNER, { partnerApiKey: key, roundingPolicy: 'up' });
  const expected = expectedValues(data, { period: PERIOD, previousPeriod: PREVIOUS, asOfDay: opts.asOfDay }, 31, basis);
  say(
    `seeded ${fmt(expected.size)} lines (${fmt(opts.accounts)} accounts × ${opts.services} services, ` +
      `${fmt(snapshots)} snapshots, as of ${PERIOD}-${String(opts.asOfDay).padStart(2, '0')}, average basis ${basis})`,
  );

  // ---- the night --------------------------------------------------------------------------------------------------
  gradient.takeTally();
  counting.reset();
  clock.set(tick);
  const units0 = { read: dynamo.capacity.read, write: dynamo.capacity.write };
  const byTable0 = structuredClone(dynamo.capacity.byTable);
  const wall0 = performance.now();
  const settings = () => workerSettings(env);
  // Middy cuts a handler short on a real timer set from the (virtual) time left: a delivery that takes longer in
  // real time than the simulated timeout fails although its virtual deadline has not come. Counted, not hidden.
  let realTimeAborts = 0;
  const workers = Array.from({ length: opts.workers }, (): WorkerHandler => {
    const worker = workerProcess(env, { deps });
    const handler = createWorkerHandler(async () => worker) as unknown as WorkerHandler;
    return async (event, context) => {
      try {
        return await handler(event, context);
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') realTimeAborts += 1;
        throw error;
      }
    };
  });
  const plan = await createPlannerHandler(getDeps)({ scheduledTime: new Date(tick).toISOString() }, {} as never);
  await queue.drain(workers, opts.timeoutS * 1000);
  const benchNightSeconds = (performance.now() - wall0) / 1000;
  const nightSeconds = (clock.ms - tick) / 1000;
  const tally = gradient.takeTally();
  const readUnits = dynamo.capacity.read - units0.read;
  const writeUnits = dynamo.capacity.write - units0.write;
  const byTable = Object.entries(dynamo.capacity.byTable)
    .map(([table, u]) => ({
      table,
      read: u.read - (byTable0[table]?.read ?? 0),
      write: u.write - (byTable0[table]?.write ?? 0),
    }))
    .filter((u) => u.read > 0 || u.write > 0)
    .map((u) => `${u.table} ${fmt(u.read, 1)}/${fmt(u.write)}`)
    .join(', ');

  // ---- checks -----------------------------------------------------------------------------------------------------
  const timeoutMs = opts.timeoutS * 1000;
  const checks = nightChecks({
    expected,
    refusedServices: new Set(refused.map((r) => r.serviceKey)),
    counting,
    serviceKeyOf: new Map((await deps.mappings.listServices(PARTNER)).map((m) => [m.gradientServiceId, m.serviceKey])),
    held: await deps.held.list(PARTNER),
    receipts: await deps.runs.listReceipts(PARTNER, plan.runId),
    run: await deps.runs.get(PARTNER, plan.runId),
    queue,
    realTimeAborts,
    budget: opts.budget,
    timeoutS: opts.timeoutS,
    usableS: (timeoutMs - safetyMargin(settings(), timeoutMs)) / 1000,
  });
  const sendSeconds = (counting.lastAt - counting.firstAt) / 1000;
  const achieved = counting.requests / sendSeconds;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const r429 = tally.requests ? tally.rateLimited / tally.requests : 0;
  const lines = [
    '',
    `one partner, first night: ${fmt(opts.accounts)} accounts × ${opts.services} services = ${fmt(expected.size)} lines; ` +
      `${opts.unmapped ? `${opts.unmapped} left unmapped in Synthesize; ` : ''}${opts.workers} workers, budget ${opts.budget} req/s (vendor scope), simulated timeout ${opts.timeoutS} s; ` +
      `average basis ${basis} (catalog: ${[...storedBases].join(', ') || 'no average service'})`,
    ...checks.map(({ what, ok, detail }) => `  ${ok ? 'PASS' : 'FAIL'}  ${what}: ${detail}`),
    `  requests ${fmt(tally.requests)} (${fmt(tally.countPosts)} count posts), 429s ${tally.rateLimited} ` +
      `(${(r429 * 100).toFixed(3)} % of requests; first-night target ≤ 0.1 %: ${r429 <= 0.001 ? 'PASS' : 'FAIL'})`,
    `  virtual wall of the night ${fmt(nightSeconds, 1)} s; requests sent over ${fmt(sendSeconds, 1)} s: ` +
      `${fmt(achieved, 1)} req/s = ${((achieved / opts.budget) * 100).toFixed(1)} % of the budget`,
    `  DynamoDB ${fmt(readUnits, 1)} RRU, ${fmt(writeUnits)} WRU ` +
      `(${(writeUnits / expected.size).toFixed(2)} WRU and ${(readUnits / expected.size).toFixed(2)} RRU per line); ` +
      `RRU/WRU by table: ${byTable}`,
    `  bench wall ${fmt(benchNightSeconds, 1)} s for the night, ${fmt((performance.now() - started) / 1000, 1)} s ` +
      `in all; peak RSS ${fmt(peakRssMb, 1)} MB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (checks.some(({ ok }) => !ok)) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(
    `bench:large failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
