// The calendar bench's figures: the per-night table, the extrapolation to design scale (10 M lines) with the
// price table it uses, and the SVG chart of requests per night.
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface NightRow {
  night: number;
  asOf: string;
  lines: number;
  /** Lines whose usage moved that day (snapshots written): a property of the workload, not of the code. */
  changedLines: number;
  requests: number;
  countPosts: number;
  countChanges: number;
  notMapped: number;
  rateLimited: number;
  unchanged: number;
  readUnits: number;
  writeUnits: number;
  intakeReadUnits: number;
  intakeWriteUnits: number;
  deliveries: number;
  messages: number;
  deadLetters: number;
  workerSeconds: number;
  nightSeconds: number;
  benchSeconds: number;
  statuses: Record<string, number>;
}

export interface QuarterResult {
  basis: string;
  rows: NightRow[];
  storedBytes: Record<string, number>;
  partners: number;
}

const DESIGN_LINES = 10_000_000;
const DESIGN_PARTNERS = 10_000;
const NIGHTS_PER_MONTH = 30.4;
const WORKER_GB = 1;

/** us-east-1 list prices as known to the author (2024–2025); check them before quoting. */
export const PRICES = {
  asOf: 'list prices as known in 2025 (us-east-1); to be checked against aws.amazon.com/pricing',
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerMillionRequests: 0.2,
  sqsPerMillionRequests: 0.4,
  secretPerMonth: 0.4,
  secretsPer10kCalls: 0.05,
  kmsKeyPerMonth: 1,
  kmsPer10kRequests: 0.03,
  cloudwatchLogsPerGb: 0.5,
  cloudwatchMetricPerMonth: 0.3,
};

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f2 = (n: number) => n.toFixed(2);
const money = (n: number) => `$${n < 10 ? n.toFixed(2) : f0(n)}`;

function monthlyCost(q: QuarterResult) {
  const rows = q.rows.slice(1); // the first night is a one-off
  const lines = q.rows.at(-1)!.lines || 1;
  const scale = DESIGN_LINES / lines;
  const avg = (pick: (r: NightRow) => number) => rows.reduce((n, r) => n + pick(r), 0) / Math.max(1, rows.length);
  const perMonth = (pick: (r: NightRow) => number) => avg(pick) * scale * NIGHTS_PER_MONTH;
  const storedGb = (Object.values(q.storedBytes).reduce((a, b) => a + b, 0) * scale) / 1e9;
  const deliveries = perMonth((r) => r.deliveries);
  const items = {
    'DynamoDB writes (sync)': (perMonth((r) => r.writeUnits) / 1e6) * PRICES.dynamoWritePerMillion,
    'DynamoDB reads (sync)': (perMonth((r) => r.readUnits) / 1e6) * PRICES.dynamoReadPerMillion,
    'DynamoDB writes+reads (usage intake)':
      (perMonth((r) => r.intakeWriteUnits) / 1e6) * PRICES.dynamoWritePerMillion +
      (perMonth((r) => r.intakeReadUnits) / 1e6) * PRICES.dynamoReadPerMillion,
    'DynamoDB storage (after the quarter)': storedGb * PRICES.dynamoStoragePerGbMonth,
    'Lambda worker GB-s + invocations':
      perMonth((r) => r.workerSeconds) * WORKER_GB * PRICES.lambdaPerGbSecond +
      (deliveries / 1e6) * PRICES.lambdaPerMillionRequests,
    'SQS (send + receive + delete per delivery)': ((deliveries * 3) / 1e6) * PRICES.sqsPerMillionRequests,
    'Secrets Manager (a secret per partner + the vendor key, a read per delivery)':
      (DESIGN_PARTNERS + 1) * PRICES.secretPerMonth + (deliveries / 1e4) * PRICES.secretsPer10kCalls,
    'KMS (one key, a decrypt per secret read)': PRICES.kmsKeyPerMonth + (deliveries / 1e4) * PRICES.kmsPer10kRequests,
    'CloudWatch (≈4 KB of logs per delivery, 10 custom metrics)':
      ((deliveries * 4096) / 1e9) * PRICES.cloudwatchLogsPerGb + 10 * PRICES.cloudwatchMetricPerMonth,
  };
  return { scale, items, total: Object.values(items).reduce((a, b) => a + b, 0), storedGb };
}

export function busiest(q: QuarterResult) {
  const rows = q.rows.slice(1);
  const top = rows.reduce((a, b) => (b.requests > a.requests ? b : a), rows[0] ?? q.rows[0]!);
  const scale = DESIGN_LINES / (top.lines || 1);
  return { row: top, hours: (top.requests * scale) / 100 / 3600 };
}

function nightTable(q: QuarterResult): string {
  const head =
    '| night | as of | lines | changed lines | requests | per changed line | 429s | RRU | WRU | WRU per unchanged line | worker s | count changes | 404s | runs |\n' +
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|';
  const body = q.rows.map((r) =>
    [
      r.night,
      r.asOf,
      f0(r.lines),
      f0(r.changedLines),
      f0(r.requests),
      r.changedLines ? f2(r.requests / r.changedLines) : '—',
      r.rateLimited,
      f0(r.readUnits),
      f0(r.writeUnits),
      r.unchanged ? f2(r.writeUnits / r.unchanged) : '—',
      f0(r.workerSeconds),
      f0(r.countChanges),
      f0(r.notMapped),
      Object.entries(r.statuses)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
    ].join(' | '),
  );
  return `${head}\n${body.map((b) => `| ${b} |`).join('\n')}`;
}

const total = (q: QuarterResult | undefined, pick: (r: NightRow) => number) =>
  q ? q.rows.slice(1).reduce((n, r) => n + pick(r), 0) : undefined;

export function renderCalendar(input: {
  opts: { partners: number; accounts: number; large: number; nights: number; workers: number; budget: number };
  results: QuarterResult[];
  skipped: string[];
  totalSeconds: number;
}): string {
  const { opts, results, totalSeconds } = input;
  const toDate = results.find((r) => r.basis === 'to_date');
  const projected = results.find((r) => r.basis === 'projected');
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {}
  const out: string[] = [];
  out.push(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}; commit \`${commit}\`; ` +
      `\`npm run bench:calendar -- --partners ${opts.partners} --accounts ${opts.accounts} --large ${opts.large} --nights ${opts.nights} --workers ${opts.workers} --budget ${opts.budget}\`; ` +
      `${totalSeconds.toFixed(0)} s in all.`,
  );
  const side = (pick: (r: NightRow) => number) => {
    const a = total(toDate, pick);
    const b = total(projected, pick);
    return `${a === undefined ? 'n/a' : f0(a)} | ${b === undefined ? 'n/a' : f0(b)} | ${a && b !== undefined ? f2(b / a) : 'n/a'}`;
  };
  out.push(
    '\n### Nights 2…last, `to_date` vs `projected` averages (same quarter)\n\n| total over the nights after the first | to_date | projected | projected ÷ to_date |\n|---|---:|---:|---:|',
    `| Gradient requests | ${side((r) => r.requests)} |`,
    `| count changes to approve in Synthesize | ${side((r) => r.countChanges)} |`,
    `| DynamoDB write units (sync) | ${side((r) => r.writeUnits)} |`,
    `| DynamoDB read units (sync) | ${side((r) => r.readUnits)} |`,
    `| worker seconds | ${side((r) => r.workerSeconds)} |`,
  );
  for (const q of results) {
    const b = busiest(q);
    const cost = monthlyCost(q);
    out.push(
      `\n### Design scale (10,000,000 lines), \`${q.basis}\` averages\n`,
      `- busiest night after the first: night ${b.row.night} (as of ${b.row.asOf}), ${f0(b.row.requests)} requests for ${f0(b.row.lines)} lines → ` +
        `**${b.hours.toFixed(1)} hours** of Gradient time at 100 requests/s for the whole vendor (×${f0(cost.scale)}).`,
      `- first night: ${f0(q.rows[0]!.requests)} requests → ${((q.rows[0]!.requests * cost.scale) / 100 / 3600).toFixed(1)} hours at design scale.`,
      `- monthly AWS cost (nights 2…last averaged, ×${f0(cost.scale)}, ${NIGHTS_PER_MONTH} nights a month): **${money(cost.total)}**\n`,
      '| item | per month |\n|---|---:|',
      ...Object.entries(cost.items).map(([k, v]) => `| ${k} | ${money(v)} |`),
    );
  }
  out.push(
    `\nPrices (${PRICES.asOf}): DynamoDB on-demand $${PRICES.dynamoWritePerMillion}/M write units, $${PRICES.dynamoReadPerMillion}/M read units, ` +
      `$${PRICES.dynamoStoragePerGbMonth}/GB-month; Lambda $${PRICES.lambdaPerGbSecond}/GB-s (x86, ${WORKER_GB} GB worker), $${PRICES.lambdaPerMillionRequests}/M invocations; ` +
      `SQS $${PRICES.sqsPerMillionRequests}/M requests; Secrets Manager $${PRICES.secretPerMonth}/secret-month, $${PRICES.secretsPer10kCalls}/10k calls; ` +
      `KMS $${PRICES.kmsKeyPerMonth}/key-month, $${PRICES.kmsPer10kRequests}/10k requests; CloudWatch Logs $${PRICES.cloudwatchLogsPerGb}/GB ingested, $${PRICES.cloudwatchMetricPerMonth}/metric-month.`,
  );
  for (const basis of input.skipped)
    out.push(`\n\`${basis}\`: n/a (the catalog does not keep \`averageBasis\` on this commit).`);
  for (const q of results) out.push(`\n### Every night, \`${q.basis}\`\n`, nightTable(q));
  return `${out.join('\n')}\n`;
}

/** Requests per night over the quarter, one polyline per basis. */
export function renderSvg(results: QuarterResult[]): string {
  const W = 760;
  const H = 320;
  const pad = { l: 70, r: 20, t: 30, b: 40 };
  const max = Math.max(1, ...results.flatMap((q) => q.rows.map((r) => r.requests)));
  const nights = Math.max(1, ...results.map((q) => q.rows.length));
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / Math.max(1, nights - 1);
  const y = (v: number) => H - pad.b - ((H - pad.t - pad.b) * v) / max;
  const colours = ['#1f77b4', '#d62728'];
  const lines = results.map((q, k) => {
    const pts = q.rows.map((r, i) => `${x(i).toFixed(1)},${y(r.requests).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${colours[k % 2]}" stroke-width="1.5" points="${pts}"/><text x="${W - pad.r - 150}" y="${pad.t + 16 * k}" fill="${colours[k % 2]}" font-size="12">${q.basis} averages</text>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(
    (t) =>
      `<text x="${pad.l - 6}" y="${y(max * t) + 4}" font-size="11" text-anchor="end">${f0(max * t)}</text><line x1="${pad.l}" x2="${W - pad.r}" y1="${y(max * t)}" y2="${y(max * t)}" stroke="#ddd"/>`,
  );
  const days = (results[0]?.rows ?? [])
    .map((r, i) =>
      r.asOf.endsWith('-01')
        ? `<line x1="${x(i)}" x2="${x(i)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#999" stroke-dasharray="3,3"/><text x="${x(i) + 3}" y="${H - pad.b + 14}" font-size="11">${r.asOf}</text>`
        : '',
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" role="img"><title>Gradient requests per night over the simulated quarter</title><rect width="100%" height="100%" fill="white"/><text x="${pad.l}" y="18" font-size="13">Gradient requests per night over the simulated quarter (npm run bench:calendar)</text>${ticks.join('')}${days}${lines.join('')}<text x="${(W / 2).toFixed(0)}" y="${H - 8}" font-size="11" text-anchor="middle">night (as-of date; dashed: a month's first day)</text></svg>\n`;
}
