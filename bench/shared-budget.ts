// `npm run bench:budget`: how much of the shared rate budget a lone run and concurrent runs get on the local stack
// (W workers, dynalite), measured where Gradient receives the requests: the emulator, by default in a process of
// its own, logs each request's arrival; the rate is the requests between the first and the last arrival, beside the
// busiest sliding second (any [t, t + 1 s)) and the busiest calendar second. The emulator limits at 100 in a
// sliding second (or `--window fixed`), with 5–20 ms latency. Each scenario runs `--repeat` times on a fresh stack.
// Options: --budget 95 --workers 4 --lone-accounts 250 --shared-partners 4 --shared-accounts 125 --repeat 3
//          --emulator process|in-process --window sliding|fixed --only lone|shared --profile <file.cpuprofile>
import { parseArgs } from 'node:util';
import type { LocalStack } from '../local/stack';
import { ARRIVAL_ALIGN, ARRIVAL_HEADER, type Arrivals, arrivalCells, arrivalsOf, medianCells } from './arrivals';
import type { EmulatorHandle } from './remote-emulator';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: '95' },
    workers: { type: 'string', default: '4' },
    'lone-accounts': { type: 'string', default: '250' },
    'shared-partners': { type: 'string', default: '4' },
    'shared-accounts': { type: 'string', default: '125' },
    repeat: { type: 'string', default: '3' },
    emulator: { type: 'string', default: 'process' },
    window: { type: 'string', default: 'sliding' },
    only: { type: 'string' },
    /** Write a CPU profile of the bench process during each night here, and print where its time went. */
    profile: { type: 'string' },
  },
});
const num = (k: keyof typeof values) => Number(values[k]);
const window = values.window === 'fixed' ? 'fixed' : 'sliding';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Measure extends Arrivals {
  lines: number;
  statuses: Record<string, number>;
}

let profile: import('./cpu-profile').ProfileSummary | undefined;

async function scenario(partners: number, accounts: number): Promise<Measure> {
  const { startLocalStack } = await import('../local/stack');
  const { startEmulatorProcess } = await import('./remote-emulator');
  const { FIRST_TICK, generateWorkload, seed } = await import('./workload');
  const remote = values.emulator === 'process' ? await startEmulatorProcess() : undefined;
  const stack: LocalStack = await startLocalStack({
    rateBudget: num('budget'),
    ...(remote ? { gradientBaseUrl: remote.url } : { emulator: { seed: 1 } }),
    env: { WORKER_MAX_CONCURRENCY: values.workers! },
  });
  const emulator: EmulatorHandle = remote ?? { ...stack.emulator!, close: async () => {} };
  try {
    const workload = generateWorkload({ partners, accounts, changedShare: 0.1, seed: 42 });
    await seed(stack, workload, emulator);
    await emulator.setRateLimit({ perSecond: 100, window });
    await emulator.setLatency({ min: 5, max: 20 });
    const from = (await emulator.requestLog()).length;
    const night = async () => {
      const plan = await stack.planner(FIRST_TICK);
      await stack.queue.drain(stack.workers);
      return plan;
    };
    let plan: Awaited<ReturnType<typeof night>>;
    if (values.profile) {
      const { profiled } = await import('./cpu-profile');
      const out = await profiled(values.profile, night);
      plan = out.value;
      profile = out.summary;
    } else {
      plan = await night();
    }
    const log = (await emulator.requestLog()).slice(from);
    const statuses: Record<string, number> = {};
    let lines = 0;
    for (const p of workload.partners) {
      const run = await stack.deps.runs.get(p.partnerId, plan.runId);
      statuses[run?.status ?? 'missing'] = (statuses[run?.status ?? 'missing'] ?? 0) + 1;
      lines += run?.summary?.lines ?? 0;
    }
    return { ...arrivalsOf(log), lines, statuses };
  } finally {
    await stack.close();
    await emulator.close();
  }
}

async function main(): Promise<void> {
  const budget = num('budget');
  const scenarios = [
    {
      key: 'lone',
      label: `lone run (1 partner, ${values.workers} workers)`,
      partners: 1,
      accounts: num('lone-accounts'),
    },
    {
      key: 'shared',
      label: `${num('shared-partners')} concurrent runs (${values.workers} workers)`,
      partners: num('shared-partners'),
      accounts: num('shared-accounts'),
    },
  ].filter((s) => !values.only || s.key === values.only);
  console.log(
    `budget ${budget}/s, emulator ${values.emulator === 'process' ? 'in its own process' : 'in the bench process'}, ` +
      `limiting at 100 per ${window} second, 5–20 ms latency; ${num('repeat')} runs per scenario`,
  );
  console.log(
    `| scenario | run | lines | requests | seconds | ${ARRIVAL_HEADER} | runs |\n` +
      `|---|---|---:|---:|---:|${ARRIVAL_ALIGN}|---|`,
  );
  for (const s of scenarios) {
    const rows: Measure[] = [];
    for (let i = 0; i < num('repeat'); i++) {
      const r = await scenario(s.partners, s.accounts);
      rows.push(r);
      if (profile) {
        const top = profile.buckets.slice(0, 8).map((b) => `${b.bucket} ${(100 * b.share).toFixed(1)} %`);
        console.log(`  profile of the night (${(profile.totalMs / 1000).toFixed(1)} s sampled): ${top.join(', ')}`);
      }
      console.log(
        `| ${s.label} | ${i + 1} | ${r.lines} | ${r.requests} | ${r.seconds.toFixed(2)} | ${arrivalCells(r, budget)} | ${JSON.stringify(r.statuses)} |`,
      );
    }
    console.log(`| ${s.label} | median of ${rows.length} | | | | ${medianCells(rows, budget)} | |`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
