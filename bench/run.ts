// `npm run bench`: the figures of BENCHMARKS.md, printed, and kept under .bench/ (results.json, results.md).
// Options: --partners 50 --accounts 100 --workers 4 --budget 95 --full-partners 4 --baseline-partners 3
// (the last two: the partner subsets the no-diff and sequential comparisons run on, then scale).

// Quiet defaults, set before the Powertools singletons and the SDK read them (hence the dynamic imports below).
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isVerificationNight } from '../lambdas/core/sync/verification';
import type { NightResult } from './night';
import { type BenchOptions, machine, type Results, renderMarkdown, renderTargets } from './report';

const OUT_DIR = resolve('.bench');
const started = performance.now();
const say = (message: string) =>
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

function options(): BenchOptions {
  const { values } = parseArgs({
    options: {
      partners: { type: 'string', default: '50' },
      accounts: { type: 'string', default: '100' },
      workers: { type: 'string', default: '4' },
      budget: { type: 'string', default: '95' },
      'full-partners': { type: 'string', default: '4' },
      'baseline-partners': { type: 'string', default: '3' },
    },
  });
  const int = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number in ${min}…${max}`);
    return n;
  };
  const partners = int('partners', 1, 500);
  return {
    partners,
    accounts: int('accounts', 1, 1_000),
    workers: int('workers', 1, 16),
    budget: int('budget', 1, 100),
    fullPartners: Math.min(partners, int('full-partners', 1, 500)),
    baselinePartners: Math.min(partners, int('baseline-partners', 1, 500)),
    changedShare: 0.05,
    latencyMs: { min: 20, max: 50 },
    emulatorLimit: 100,
  };
}

function nightLine(n: NightResult): string {
  return (
    `${n.partners} partners, ${n.lines} lines, sent ${n.sent}, requests ${n.requests} ` +
    `(${n.countRequests} counts, ${n.accountListRequests} account lists, ${n.otherRequests} other), ` +
    `${n.rateLimited} × 429, ${(n.wallMs / 1000).toFixed(1)} s, ${n.achievedRps.toFixed(1)} req/s ` +
    `(${((100 * n.achievedRps) / n.budget).toFixed(1)} % of ${n.budget}), peak RSS ${n.peakRssMb.toFixed(0)} MB ` +
    `(${n.rssBeforeMb.toFixed(0)} MB before), ` +
    `runs ${JSON.stringify(n.runStatuses)}, check ${JSON.stringify(n.check)}`
  );
}

async function main(): Promise<void> {
  const opts = options();
  const { startLocalStack } = await import('../local/stack');
  const { applyChanges, expectedLines, FIRST_AS_OF, FIRST_TICK, generateWorkload, NEXT_AS_OF, NEXT_TICK, seed } =
    await import('./workload');
  const { runNight } = await import('./night');
  const { runBaseline } = await import('./baseline');
  const { runComputeChild } = await import('./compute');
  const { measureBundles } = await import('./bundles');

  mkdirSync(OUT_DIR, { recursive: true });
  const env = machine();
  say(`machine: ${env.cpuModel}, nproc ${env.nproc}, node ${env.node}`);
  say(
    `workload: ${opts.partners} partners × ${opts.accounts} accounts × 4 services; ${opts.workers} workers sharing ${opts.budget} req/s`,
  );

  const stack = await startLocalStack({
    emulator: { rateLimit: { perSecond: opts.emulatorLimit }, latencyMs: opts.latencyMs, seed: 1 },
    rateBudget: opts.budget,
    env: { WORKER_MAX_CONCURRENCY: String(opts.workers) },
  });
  let results: Results;
  try {
    const workload = generateWorkload({
      partners: opts.partners,
      accounts: opts.accounts,
      changedShare: opts.changedShare,
      seed: 42,
    });
    say(`seeding ${workload.lines} lines (not measured)…`);
    const seeding = await seed(stack, workload);
    say(
      `seeded: catalog+accounts ${(seeding.catalogAndAccountsMs / 1000).toFixed(1)} s, connections ` +
        `${(seeding.connectionsMs / 1000).toFixed(1)} s, usage ${seeding.usageGroups} line-months ` +
        `${(seeding.usageMs / 1000).toFixed(1)} s`,
    );
    const emulator = stack.emulator!;
    emulator.setRateLimit({ perSecond: opts.emulatorLimit });
    emulator.setLatency(opts.latencyMs);

    const key = (partnerId: string, serviceKey: string, accountId: string) => `${partnerId}|${serviceKey}|${accountId}`;
    const firstLines = new Map(
      workload.partners.map((p) => [p.partnerId, expectedLines(p, workload.snapshots.get(p.partnerId)!, FIRST_AS_OF)]),
    );
    const firstExpected = new Map<string, number>();
    for (const [partnerId, lines] of firstLines)
      for (const l of lines) firstExpected.set(key(partnerId, l.serviceKey, l.accountId), l.pushed);

    const maxWallMs = 15 * 60_000;
    say(`first night: ${firstExpected.size} lines, everything new…`);
    const first = await runNight(stack, {
      label: 'first night',
      workers: opts.workers,
      kind: { type: 'nightly', tick: FIRST_TICK },
      expected: firstExpected,
      maxWallMs,
    });
    say(nightLine(first));

    const rewritten = await applyChanges(stack, workload);
    const nextLines = new Map(
      workload.partners.map((p) => [
        p.partnerId,
        expectedLines(p, [...workload.snapshots.get(p.partnerId)!, ...workload.changes.get(p.partnerId)!], NEXT_AS_OF),
      ]),
    );
    const changedExpected = new Map<string, number>();
    // The verification night is the day the run happens: the worker stamps it with the wall clock, now.
    const nextNightAt = new Date().toISOString();
    for (const [partnerId, lines] of nextLines) {
      const before = new Map(firstLines.get(partnerId)!.map((l) => [`${l.accountId}#${l.serviceKey}`, l.pushed]));
      for (const l of lines) {
        // Changed values, and tonight's verification share of the quiet lines (one night in 28 each).
        const due = isVerificationNight({ partnerId, ...l }, nextNightAt);
        if (due || before.get(`${l.accountId}#${l.serviceKey}`) !== l.pushed)
          changedExpected.set(key(partnerId, l.serviceKey, l.accountId), l.pushed);
      }
    }
    say(
      `incremental night: ${rewritten} lines got a new snapshot, ${changedExpected.size} lines to send (changed or verified)…`,
    );
    const incremental = await runNight(stack, {
      label: 'incremental night',
      workers: opts.workers,
      kind: { type: 'nightly', tick: NEXT_TICK },
      expected: changedExpected,
      maxWallMs,
    });
    say(nightLine(incremental));

    const fullSubset = workload.partners.slice(0, opts.fullPartners);
    const fullExpected = new Map<string, number>();
    for (const p of fullSubset)
      for (const l of nextLines.get(p.partnerId)!)
        fullExpected.set(key(p.partnerId, l.serviceKey, l.accountId), l.pushed);
    say(`incremental night without the diff (full=true) on ${fullSubset.length} partners…`);
    const full = await runNight(stack, {
      label: 'incremental night, no diff (subset)',
      workers: opts.workers,
      kind: {
        type: 'full',
        partnerIds: fullSubset.map((p) => p.partnerId),
        asOf: NEXT_AS_OF,
        at: new Date(NEXT_TICK.getTime() + 3_600_000),
      },
      expected: fullExpected,
      maxWallMs,
    });
    say(nightLine(full));

    const baselineSubset = workload.partners.slice(0, opts.baselinePartners);
    say(`baseline (sequential, every line) on ${baselineSubset.length} partners…`);
    const baseline = await runBaseline(
      stack,
      baselineSubset.map((p) => ({ partner: p, lines: firstLines.get(p.partnerId)! })),
    );
    say(
      `baseline: ${baseline.lines} lines, ${baseline.requests} requests, ${baseline.rateLimited} × 429, ` +
        `${(baseline.wallMs / 1000).toFixed(1)} s (${baseline.msPerLine.toFixed(1)} ms per line)`,
    );
    results = { options: opts, machine: env, seeding, first, incremental, full, baseline, rewritten } as Results;
  } finally {
    await stack.close();
  }

  say('usage computation alone (child processes)…');
  results.throughput = await runComputeChild<Results['throughput']>('throughput');
  say(`aggregation: ${Math.round(results.throughput.perSecond).toLocaleString('en-US')} snapshots/s`);
  results.largeMonth = await runComputeChild<Results['largeMonth']>('large-month');
  results.large90d = await runComputeChild<Results['large90d']>('large-90d');
  say(
    `large partner: peak RSS ${results.large90d.peakRssMb.toFixed(0)} MB (90 days in memory), ` +
      `${results.largeMonth.peakRssMb.toFixed(0)} MB (as the worker loads it)`,
  );
  say('Lambda bundles…');
  results.bundles = await measureBundles(OUT_DIR);
  for (const b of results.bundles) {
    say(
      `${b.name}: ${(b.bytes / 1024).toFixed(0)} KiB (${(b.gzipBytes / 1024).toFixed(0)} KiB gzip), init ${b.initMsMedian.toFixed(0)} ms`,
    );
  }
  results.totalSeconds = (performance.now() - started) / 1000;

  const markdown = renderMarkdown(results);
  writeFileSync(resolve(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(resolve(OUT_DIR, 'results.md'), markdown);
  process.stdout.write(`\n${markdown}\n`);
  const targets = renderTargets(results);
  process.stdout.write(`${targets.text}\n`);
  say(`done; figures in .bench/results.md and .bench/results.json`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
