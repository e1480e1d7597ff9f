// The bench's figures as Markdown tables, and the targets of BENCHMARKS.md with PASS/MISS. Node built-ins and types only:
// run.ts imports this before the environment is set up.
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import type { BaselineResult } from './baseline';
import type { BundleResult } from './bundles';
import type { NightResult } from './night';
import type { SeedTimings } from './workload';

export interface BenchOptions {
  partners: number;
  accounts: number;
  workers: number;
  budget: number;
  fullPartners: number;
  baselinePartners: number;
  changedShare: number;
  latencyMs: { min: number; max: number };
  emulatorLimit: number;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface ThroughputFigures {
  lines: number;
  snapshots: number;
  repetitions: number;
  medianMs: number;
  perSecond: number;
}

export interface LargePartnerFigures {
  lines: number;
  snapshots: number;
  buildMs: number;
  computeMs: number;
  rssStartMb: number;
  inputHeapMb: number;
  peakRssMb: number;
}

export interface Results {
  options: BenchOptions;
  machine: Machine;
  seeding: SeedTimings;
  rewritten: number;
  first: NightResult;
  incremental: NightResult;
  full: NightResult;
  baseline: BaselineResult;
  throughput: ThroughputFigures;
  largeMonth: LargePartnerFigures;
  large90d: LargePartnerFigures;
  bundles: BundleResult[];
  totalSeconds: number;
}

export function machine(): Machine {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: leave it unknown
  }
  return {
    nproc: availableParallelism(),
    cpuModel,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const s = (ms: number) => `${f1(ms / 1000)} s`;

/** Figures derived from the raw results: the per-changed-line cost, the scaled comparisons. */
export function derive(r: Results) {
  const changed = r.incremental.check.expected;
  const incrementalPerChanged = r.incremental.countRequests / Math.max(1, changed);
  const incrementalAllPerChanged = (r.incremental.requests - r.incremental.partners) / Math.max(1, changed);
  // Sequential baseline: every line of the whole workload at the measured time per line.
  const baselineWallMs = r.baseline.msPerLine * r.first.lines;
  const baselineRequests = (r.baseline.requests / Math.max(1, r.baseline.lines)) * r.first.lines;
  // No diff: every line again, at the rate the full run achieved on its subset.
  const fullRequests = (r.full.requests / Math.max(1, r.full.partners)) * r.incremental.partners;
  const fullWallMs = (fullRequests / r.full.achievedRps) * 1000;
  return {
    changed,
    incrementalPerChanged,
    incrementalAllPerChanged,
    baselineWallMs,
    baselineRequests,
    fullRequests,
    fullWallMs,
    baselineWallRatio: baselineWallMs / r.first.wallMs,
    fullRequestRatio: fullRequests / r.incremental.requests,
    fullWallRatio: fullWallMs / r.incremental.wallMs,
  };
}

export function renderTargets(r: Results): { text: string; rows: Array<[string, string, string, boolean]> } {
  const d = derive(r);
  const c = r.first.check;
  const clean = c.lost === 0 && c.duplicated === 0 && c.wrongValue === 0 && c.unexpected === 0 && r.first.failed === 0;
  const share = r.first.achievedRps / r.first.budget;
  const mappingRefreshes = r.incremental.accountListRequests;
  const large = r.large90d.peakRssMb;
  const rows: Array<[string, string, string, boolean]> = [
    [
      'first night: rate budget sustained, no line lost or duplicated',
      '≥ 90 % of budget, 0 lost, 0 duplicated',
      `${f1(100 * share)} % of ${r.first.budget} req/s; lost ${c.lost}, duplicated ${c.duplicated}, wrong value ${c.wrongValue}`,
      share >= 0.9 && clean,
    ],
    [
      'incremental night: requests per changed line',
      '≤ 1.02 (+ 1 mapping refresh per partner)',
      `${d.incrementalPerChanged.toFixed(3)} count requests per changed line; ${mappingRefreshes} mapping refreshes for ${r.incremental.partners} partners`,
      d.incrementalPerChanged <= 1.02 && mappingRefreshes <= r.incremental.partners,
    ],
    [
      'aggregation, one core',
      '≥ 1,000,000 snapshots/s',
      `${int(r.throughput.perSecond)} snapshots/s`,
      r.throughput.perSecond >= 1_000_000,
    ],
    ['large partner (5,000 × 5 × 90 days) peak memory', '< 512 MB', `${f1(large)} MB peak RSS`, large < 512],
  ];
  const text = [
    'Targets',
    ...rows.map(([what, target, got, ok]) => `  ${ok ? 'PASS' : 'MISS'}  ${what}: ${got}  (target ${target})`),
  ].join('\n');
  return { text, rows };
}

function nightRow(n: NightResult, changed?: number): string {
  const perChanged = changed === undefined ? '—' : f2(n.countRequests / Math.max(1, changed));
  return (
    `| ${n.label} | ${int(n.lines)} | ${changed === undefined ? int(n.check.expected) : int(changed)} | ` +
    `${int(n.requests)} (${int(n.countRequests)} counts + ${int(n.accountListRequests)} account lists` +
    `${n.otherRequests ? ` + ${n.otherRequests} other` : ''}) | ${perChanged} | ${f1(n.achievedRps)} (${f1((100 * n.achievedRps) / n.budget)} %) | ` +
    `${n.rateLimited} | ${s(n.wallMs)} | ${f1(n.peakRssMb)} MB (${f1(n.rssBeforeMb)} MB before) |`
  );
}

export function renderMarkdown(r: Results): string {
  const d = derive(r);
  const o = r.options;
  const m = r.machine;
  const check = (n: NightResult) =>
    `expected ${int(n.check.expected)}, lost ${n.check.lost}, duplicated ${n.check.duplicated}, wrong value ${n.check.wrongValue}, ` +
    `unexpected ${n.check.unexpected}; runs ${Object.entries(n.runStatuses)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; deliveries ${n.deliveries}, dead letters ${n.deadLetters}`;
  const lines = [
    `Machine: ${m.cpuModel}, nproc ${m.nproc}, ${m.memoryGb} GB RAM, Node ${m.node} (${m.platform}).`,
    `Workload: ${o.partners} partners × ${o.accounts} accounts × 4 services = ${int(r.first.lines)} lines; emulator limit ` +
      `${o.emulatorLimit} req/s, latency ${o.latencyMs.min}–${o.latencyMs.max} ms per request; ${o.workers} concurrent ` +
      `workers sharing one budget of ${o.budget} req/s (GRADIENT_RATE_BUDGET=${o.budget}, WORKER_MAX_CONCURRENCY=${o.workers}).`,
    `Seeding (not measured): ${s(r.seeding.catalogAndAccountsMs)} catalog and accounts, ${s(r.seeding.connectionsMs)} ` +
      `connections, ${s(r.seeding.usageMs)} usage (${int(r.seeding.usageGroups)} line-months). Whole bench: ${f1(r.totalSeconds)} s.`,
    '',
    '### Sync nights',
    '',
    '| night | lines | lines to send | requests | count requests per changed line | achieved req/s (of budget) | 429s | wall | peak RSS of the bench process |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|',
    nightRow(r.first),
    nightRow(r.incremental, d.changed),
    nightRow(r.full),
    '',
    `- first night check against the emulator's counts: ${check(r.first)}`,
    `- incremental night: ${int(r.rewritten)} lines got a new snapshot, ${int(d.changed)} pushed values changed; ` +
      `${check(r.incremental)}; all requests except one mapping refresh per partner per changed line: ${d.incrementalAllPerChanged.toFixed(3)}`,
    `- no-diff night on ${r.full.partners} partners: ${check(r.full)}`,
    '',
    '### Against the naive ways',
    '',
    '| comparison | naive | ours | ratio (naive ÷ ours) |',
    '|---|---:|---:|---:|',
    `| first night, sequential sender (measured on ${r.baseline.partners} partners, ${int(r.baseline.lines)} lines, ` +
      `${f1(r.baseline.msPerLine)} ms per line; scaled to ${int(r.first.lines)} lines) | ${s(d.baselineWallMs)}, ` +
      `${int(d.baselineRequests)} requests | ${s(r.first.wallMs)}, ${int(r.first.requests)} requests | ` +
      `${f2(d.baselineWallRatio)}× wall time |`,
    `| incremental night without the diff (full=true, measured on ${r.full.partners} partners at ${f1(r.full.achievedRps)} req/s; ` +
      `scaled to ${r.incremental.partners}) | ${s(d.fullWallMs)}, ${int(d.fullRequests)} requests | ` +
      `${s(r.incremental.wallMs)}, ${int(r.incremental.requests)} requests | ${f1(d.fullRequestRatio)}× requests, ` +
      `${f1(d.fullWallRatio)}× wall time |`,
    '',
    '### Usage computation alone',
    '',
    `- aggregation on one core: ${int(r.throughput.perSecond)} snapshots/s (computeLines over ${int(r.throughput.lines)} lines, ` +
      `${int(r.throughput.snapshots)} snapshots; median of ${r.throughput.repetitions} runs after warm-up, ${f1(r.throughput.medianMs)} ms)`,
    `- one large partner, 5,000 accounts × 5 services × 90 days (${int(r.large90d.snapshots)} snapshots all in memory): ` +
      `peak RSS ${f1(r.large90d.peakRssMb)} MB (input ${f1(r.large90d.inputHeapMb)} MB of heap; compute ${f1(r.large90d.computeMs)} ms)`,
    `- the same partner as the worker loads it (the month's ${int(r.largeMonth.snapshots)} snapshots + carry-in): ` +
      `peak RSS ${f1(r.largeMonth.peakRssMb)} MB (input ${f1(r.largeMonth.inputHeapMb)} MB of heap; compute ${f1(r.largeMonth.computeMs)} ms)`,
    '',
    '### Lambda bundles',
    '',
    '| handler | bundle | gzip | module init (median of 5) |',
    '|---|---:|---:|---:|',
    ...r.bundles.map(
      (b) =>
        `| ${b.name} | ${f1(b.bytes / 1024)} KiB | ${f1(b.gzipBytes / 1024)} KiB | ${f1(b.initMsMedian)} ms (${b.initMsRuns.map((x) => x.toFixed(0)).join(', ')}) |`,
    ),
    '',
    '### Targets',
    '',
    '| target | wanted | measured | |',
    '|---|---|---|---|',
    ...renderTargets(r).rows.map(
      ([what, target, got, ok]) => `| ${what} | ${target} | ${got} | ${ok ? 'PASS' : 'MISS'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
