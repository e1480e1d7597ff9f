// The usage computation alone, in a child process of its own (one core, nothing else on its heap):
//   throughput — computeLines over a large synthetic input, several repetitions, snapshots aggregated per second;
//   large-90d  — one large partner with every one of its 90 days of snapshots in memory at once (worst case);
//   large-month — the same partner as the worker loads it (the period's days plus the carry-in).
// Prints one JSON line on stdout. Run with `node --expose-gc --import tsx bench/compute-child.ts <mode>`.
import type { LineUsage } from '../lambdas/core/model';
import { addDays } from '../lambdas/core/period';
import { computeLines, type ServiceRule } from '../lambdas/core/usage';
import { seededRandom } from '../local/seeded-random';

const SERVICES: ReadonlyMap<string, ServiceRule> = new Map<string, ServiceRule>([
  ['seats', { aggregation: 'average' }],
  ['sso', { aggregation: 'peak' }],
  ['licences', { aggregation: 'last' }],
  ['scans', { aggregation: 'sum' }],
  ['storage', { aggregation: 'average', unitScale: 1e9 }],
]);
const KEYS = [...SERVICES.keys()];
const PERIOD = '2026-11';
const AS_OF = '2026-11-30';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number) => bytes / 2 ** 20;

function lines(accounts: number, services: number, firstDay: string, days: number, carryIn: boolean): LineUsage[] {
  const random = seededRandom(7);
  const out: LineUsage[] = [];
  for (let a = 0; a < accounts; a++) {
    const accountId = `acct-${String(a).padStart(5, '0')}`;
    for (let s = 0; s < services; s++) {
      const snapshots: LineUsage['snapshots'] = [];
      let q = 1 + Math.floor(random() * 500);
      for (let d = 0; d < days; d++) {
        if (random() < 0.1) q += Math.floor(random() * 5) - 2;
        // A fresh string per snapshot, as a store read would give.
        snapshots.push({ date: addDays(firstDay, d), quantity: q });
      }
      out.push({ accountId, serviceKey: KEYS[s % KEYS.length]!, snapshots, ...(carryIn && { carryIn: q }) });
    }
  }
  return out;
}

function throughput(): Record<string, number> {
  const input = lines(5_000, 4, `${PERIOD}-01`, 30, true);
  const snapshots = input.reduce((n, l) => n + l.snapshots.length, 0);
  const run = () => {
    const t = performance.now();
    const out = computeLines({ period: PERIOD, asOf: AS_OF, services: SERVICES, lines: input, rounding: 'nearest' });
    const ms = performance.now() - t;
    if (out.length !== input.length) throw new Error('unexpected line count');
    return ms;
  };
  for (let i = 0; i < 3; i++) run(); // warm-up: let the JIT settle
  gc();
  const times = Array.from({ length: 9 }, run).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return {
    lines: input.length,
    snapshots,
    repetitions: times.length,
    medianMs: median,
    perSecond: snapshots / (median / 1000),
  };
}

function large(days: number): Record<string, number> {
  gc();
  const rssStart = process.memoryUsage.rss();
  const heapStart = process.memoryUsage().heapUsed;
  const t = performance.now();
  // 90 days up to the 30th start on 2026-09-02; the worker's view is the 30 days of November plus the carry-in.
  const input =
    days === 90 ? lines(5_000, 5, addDays(AS_OF, -89), 90, false) : lines(5_000, 5, `${PERIOD}-01`, 30, true);
  const buildMs = performance.now() - t;
  const heapWithInput = process.memoryUsage().heapUsed;
  const t2 = performance.now();
  const out = computeLines({ period: PERIOD, asOf: AS_OF, services: SERVICES, lines: input, rounding: 'up' });
  const computeMs = performance.now() - t2;
  const snapshots = input.reduce((n, l) => n + l.snapshots.length, 0);
  return {
    lines: out.length,
    snapshots,
    buildMs,
    computeMs,
    rssStartMb: mb(rssStart),
    inputHeapMb: mb(heapWithInput - heapStart),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const mode = process.argv[2];
const result = mode === 'throughput' ? throughput() : mode === 'large-90d' ? large(90) : large(30);
process.stdout.write(`${JSON.stringify({ mode, ...result })}\n`);
