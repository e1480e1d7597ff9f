// The report `npm start` prints: per MSP what the nightly run did, the totals, and what Gradient saw.
import type { Run, RunSummary } from '../core/model';
import { emptySummary } from '../core/model';
import type { PlanResult } from '../core/sync/plan';
import type { DemoSummary } from './demo';
import type { EmulatorStats } from './gradient-emulator';
import type { LocalStack } from './stack';

export interface ReportInput {
  stack: LocalStack;
  dataDir: string;
  seeded: DemoSummary | undefined;
  plan: PlanResult;
  partners: string[];
  gradientBefore: EmulatorStats | undefined;
  seconds: number;
}

const COLUMNS: Array<[keyof RunSummary, string]> = [
  ['lines', 'lines'],
  ['sent', 'sent'],
  ['accepted', 'accepted'],
  ['notMapped', 'not mapped'],
  ['unchanged', 'unchanged'],
  ['failed', 'failed'],
];

/** Prints the report; answers the exit code: 0 only when every run succeeded and nothing is dead-lettered. */
export async function printReport(input: ReportInput): Promise<number> {
  const { stack, plan } = input;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out('gradient-billing-sync · nightly sync on the embedded local stack');
  out(`  data ${input.dataDir}   Gradient ${stack.gradientUrl}${stack.emulator ? ' (emulator)' : ''}`);
  if (input.seeded) {
    const s = input.seeded;
    out(
      `  first run: seeded ${s.partners} MSPs, ${s.accounts} companies, ${s.snapshots.toLocaleString('en-US')} usage snapshots, ` +
        `${s.unmappedAccounts} companies named differently in the PSA (left unmapped)`,
    );
  } else out('  state from earlier runs kept (delete the data folder for a fresh start)');
  out(
    `  period ${plan.period} as of ${plan.asOf}${plan.full ? ' (last day of the period: full refresh)' : ''}   run ${plan.runId}`,
  );
  out();

  const rows: Array<{ name: string; rounding: string; status: string; summary: RunSummary }> = [];
  let ok = plan.failed.length === 0;
  for (const partnerId of input.partners) {
    const [partner, run] = await Promise.all([
      stack.deps.partners.get(partnerId),
      stack.deps.runs.get(partnerId, plan.runId),
    ]);
    const status = runStatus(run);
    if (status !== 'succeeded') ok = false;
    rows.push({
      name: partner?.organizationName ?? partnerId,
      rounding: partner?.roundingPolicy ?? '-',
      status: run?.error ? `${status} (${run.error.code})` : status,
      summary: run?.summary ?? emptySummary(),
    });
  }
  const total = emptySummary();
  for (const r of rows) for (const [k] of COLUMNS) total[k] += r.summary[k];

  const nameWidth = Math.max(26, ...rows.map((r) => r.name.length)) + 2;
  const header = `  ${'MSP'.padEnd(nameWidth)}${'rounding'.padEnd(10)}${'run'.padEnd(11)}${COLUMNS.map(([, h]) => h.padStart(12)).join('')}`;
  out(header);
  out(`  ${'-'.repeat(header.length - 2)}`);
  for (const r of rows) {
    out(
      `  ${r.name.padEnd(nameWidth)}${r.rounding.padEnd(10)}${r.status.padEnd(11)}${COLUMNS.map(([k]) => String(r.summary[k]).padStart(12)).join('')}`,
    );
  }
  out(`  ${'-'.repeat(header.length - 2)}`);
  out(`  ${'total'.padEnd(nameWidth + 21)}${COLUMNS.map(([k]) => String(total[k]).padStart(12)).join('')}`);
  out();

  const dead = stack.queue.deadLetters.length;
  if (dead > 0) ok = false;
  if (stack.emulator && input.gradientBefore) {
    const now = stack.emulator.stats();
    out(
      `  Gradient saw ${now.requests - input.gradientBefore.requests} requests, ` +
        `${now.rateLimited - input.gradientBefore.rateLimited} answered 429, ` +
        `${now.builds - input.gradientBefore.builds} billing rebuilds`,
    );
  }
  out(`  dead-lettered messages: ${dead}   time: ${input.seconds.toFixed(1)} s`);
  out(ok ? '  result: OK' : '  result: FAILED (see the runs above)');
  return ok ? 0 : 1;
}

function runStatus(run: Run | undefined): string {
  return run?.status ?? 'not run';
}
