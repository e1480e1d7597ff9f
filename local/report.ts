// The report `npm start` prints: per MSP what the nightly run did, the totals, and what Gradient saw.
import type { AlertKind, Run, RunSummary } from '../lambdas/core/model';
import { emptySummary } from '../lambdas/core/model';
import type { PlanResult } from '../lambdas/core/sync/plan';
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
export async function printReport(
  input: ReportInput,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const { stack, plan } = input;
  const out = (line = '') => print(line);
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

  const rows: ReportRow[] = [];
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

  for (const line of reportTable(rows, total)) out(line);
  out();
  for (const line of await alertLines(stack, input.partners, plan.runId)) out(line);

  const dead = stack.queue.deadLetters.length;
  if (dead > 0) ok = false;
  if (stack.emulator && input.gradientBefore) {
    const now = stack.emulator.stats();
    out(
      `  Gradient saw ${now.requests - input.gradientBefore.requests} requests, ` +
        `${now.rateLimited - input.gradientBefore.rateLimited} answered 429, ` +
        `${now.builds - input.gradientBefore.builds} billing rebuilds (one per run: its last count goes without ` +
        "no_build, so Gradient recomputes the MSP's billing once)",
    );
  }
  out(`  dead-lettered messages: ${dead}   time: ${input.seconds.toFixed(1)} s`);
  out(ok ? '  result: OK' : '  result: FAILED (see the runs above)');
  return ok ? 0 : 1;
}

const KIND_LABELS: Record<AlertKind, string> = {
  unmapped_account: 'unmapped companies',
  refused_service: 'refused services',
  close_day_reminder: 'close-day reminder',
  runs_failing: 'runs failing',
};

/** Per MSP that opted into alerts: the period's tickets by kind, and how many this run opened. */
async function alertLines(stack: LocalStack, partners: string[], runId: string): Promise<string[]> {
  const lines: string[] = [];
  for (const partnerId of partners) {
    const [partner, run] = await Promise.all([
      stack.deps.partners.get(partnerId),
      stack.deps.runs.get(partnerId, runId),
    ]);
    if (!partner?.alerts?.enabled || !run) continue;
    const { alerts, refusal } = await stack.deps.alerts.list(partnerId, run.period);
    const name = partner.organizationName ?? partnerId;
    if (refusal) {
      lines.push(`  alerts  ${name}: refused by Gradient for ${run.period} (${refusal.reason})`);
      continue;
    }
    const byKind = new Map<string, number>();
    for (const a of alerts) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
    const kinds = [...byKind].map(([kind, n]) => `${KIND_LABELS[kind as AlertKind]} ${n}`).join(', ');
    const tonight = alerts.filter((a) => run.startedAt !== undefined && a.createdAt >= run.startedAt).length;
    const tickets = alerts.filter((a) => a.ticketId !== undefined).length;
    lines.push(
      `  alerts  ${name}: ${alerts.length} for ${run.period}${kinds ? ` (${kinds})` : ''}, ` +
        `${tonight} opened by this run, ${tickets} with a PSA ticket`,
    );
  }
  if (lines.length > 0) lines.push('');
  return lines;
}

export interface ReportRow {
  name: string;
  rounding: string;
  status: string;
  summary: RunSummary;
}

/** The per-MSP table: every column as wide as its widest cell, so any status or name keeps it aligned. */
export function reportTable(rows: readonly ReportRow[], total: RunSummary): string[] {
  const text = (r: ReportRow) => [r.name, r.rounding, r.status];
  const widthOf = (i: number, header: string) => Math.max(header.length, ...rows.map((r) => text(r)[i]!.length));
  const widths = [widthOf(0, 'MSP'), widthOf(1, 'rounding'), widthOf(2, 'run')];
  const numberWidths = COLUMNS.map(([k, h]) =>
    Math.max(h.length, String(total[k]).length, ...rows.map((r) => String(r.summary[k]).length)),
  );
  const line = (cells: string[], numbers: string[]) =>
    `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}${numbers.map((n, i) => `  ${n.padStart(numberWidths[i]!)}`).join('')}`;
  const header = line(
    ['MSP', 'rounding', 'run'],
    COLUMNS.map(([, h]) => h),
  );
  const rule = `  ${'-'.repeat(header.length - 2)}`;
  return [
    header,
    rule,
    ...rows.map((r) =>
      line(
        text(r),
        COLUMNS.map(([k]) => String(r.summary[k])),
      ),
    ),
    rule,
    line(
      ['total', '', ''],
      COLUMNS.map(([k]) => String(total[k])),
    ),
  ];
}

function runStatus(run: Run | undefined): string {
  return run?.status ?? 'not run';
}
