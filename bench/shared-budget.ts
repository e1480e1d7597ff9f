// `npx tsx bench/shared-budget.ts`: how much of the shared rate budget a lone run and four concurrent runs get on
// the local stack (4 workers, dynalite, the emulator limiting at 100/s), measured from the emulator's request log.
// Options: --budget 95 --workers 4 --lone-accounts 400 --shared-partners 4 --shared-accounts 200
import { parseArgs } from 'node:util';
import type { LocalStack } from '../local/stack';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: '95' },
    workers: { type: 'string', default: '4' },
    'lone-accounts': { type: 'string', default: '400' },
    'shared-partners': { type: 'string', default: '4' },
    'shared-accounts': { type: 'string', default: '200' },
  },
});
const num = (k: keyof typeof values) => Number(values[k]);

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Measure {
  label: string;
  partners: number;
  lines: number;
  requests: number;
  seconds: number;
  rps: number;
  busiestSecond: number;
  rateLimited: number;
  statuses: Record<string, number>;
}

/** Requests between the first and the last arrival of the night, and the busiest whole second among them. */
function measureLog(stack: LocalStack, from: number): Pick<Measure, 'requests' | 'seconds' | 'busiestSecond'> {
  const log = stack.emulator!.requestLog().slice(from);
  const times = log.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  const perSecond = new Map<number, number>();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  return { requests: times.length, seconds, busiestSecond: Math.max(...perSecond.values()) };
}

async function scenario(label: string, partners: number, accounts: number): Promise<Measure> {
  const { startLocalStack } = await import('../local/stack');
  const { FIRST_TICK, generateWorkload, seed } = await import('./workload');
  const { runNight } = await import('./night');
  const stack = await startLocalStack({
    rateBudget: num('budget'),
    emulator: { rateLimit: { perSecond: 100 }, latencyMs: { min: 5, max: 20 }, seed: 1 },
    env: { WORKER_MAX_CONCURRENCY: values.workers! },
  });
  try {
    const workload = generateWorkload({ partners, accounts, changedShare: 0.1, seed: 42 });
    await seed(stack, workload);
    stack.emulator!.setRateLimit({ perSecond: 100 });
    stack.emulator!.setLatency({ min: 5, max: 20 });
    const from = stack.emulator!.requestLog().length;
    const night = await runNight(stack, {
      label,
      workers: num('workers'),
      kind: { type: 'nightly', tick: FIRST_TICK },
      expected: new Map(),
      maxWallMs: 10 * 60_000,
    });
    const log = measureLog(stack, from);
    return {
      label,
      partners,
      lines: night.lines,
      ...log,
      rps: log.requests / log.seconds,
      rateLimited: night.rateLimited,
      statuses: night.runStatuses,
    };
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  const budget = num('budget');
  const results = [
    await scenario('lone run (1 partner, 4 workers, 3 idle)', 1, num('lone-accounts')),
    await scenario(
      `${num('shared-partners')} concurrent runs (4 workers)`,
      num('shared-partners'),
      num('shared-accounts'),
    ),
  ];
  console.log(
    '| scenario | lines | requests | seconds | req/s (of budget) | busiest second | 429s | runs |\n|---|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.lines} | ${r.requests} | ${r.seconds.toFixed(1)} | ${r.rps.toFixed(1)} (${((100 * r.rps) / budget).toFixed(1)} %) | ` +
        `${r.busiestSecond} | ${r.rateLimited} | ${JSON.stringify(r.statuses)} |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
