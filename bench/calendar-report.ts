// The calendar bench's figures: the per-night table, the extrapolation to design scale (10 M lines) with the
// price table it uses, and the SVG chart of requests per night.
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { defaultCloseDay } from '../lambdas/core/partners';
import { VERIFICATION_NIGHTS } from '../lambdas/core/sync/verification';

export interface NightRow {
  night: number;
  asOf: string;
  lines: number;
  /** Lines whose usage moved that day (snapshots written): a property of the workload, not of the code. */
  changedLines: number;
  requests: number;
  countPosts: number;
  /** Billing-health alert posts and ticket look-ups (with `--alerts`; absent in results saved before them). */
  alertRequests?: number;
  countChanges: number;
  /** Count posts of a value not posted for the line before (calendar-sim.ts): what a diff must send. */
  newValuePosts: number;
  notMapped: number;
  rateLimited: number;
  /** The most requests Gradient received in one sliding second of the night (absent in results from before). */
  busiestSecond?: number;
  /** By lane of the night's runs: their partners, Gradient requests and when the lane's last request went (s). */
  lanes?: Record<string, { partners: number; requests: number; endSeconds: number }>;
  /**
   * The onboarding wave's partners connected by this night (not in `cohorts`): their lines and requests, and how
   * many design MSPs each stands for.
   */
  wave?: { partners: number; lines: number; requests: number; designScale: number };
  unchanged: number;
  /** Lines the runs sent (each gets a receipt and, accepted, a held value). */
  sent: number;
  readUnits: number;
  writeUnits: number;
  /** The sync's write units by table (table id → units). */
  writesByTable: Record<string, number>;
  intakeReadUnits: number;
  intakeWriteUnits: number;
  deliveries: number;
  messages: number;
  deadLetters: number;
  workerSeconds: number;
  nightSeconds: number;
  benchSeconds: number;
  statuses: Record<string, number>;
  /**
   * By close day: the partners closing on it, their lines and their Gradient requests tonight; when their last
   * request went (s after the tick) and whether their new period began tonight (absent in results from before).
   */
  cohorts: Record<
    string,
    { partners: number; lines: number; requests: number; endSeconds?: number; rebases?: boolean }
  >;
}

export interface QuarterResult {
  basis: string;
  rows: NightRow[];
  storedBytes: Record<string, number>;
  partners: number;
  /** Active lines at the quarter's end. */
  lines: number;
  /** The onboarding wave: the design MSPs it stands for, its lines, and each MSP's connection and first done night. */
  wave?: {
    design: number;
    lines: number;
    partners: Array<{ partnerId: string; connectNight: number; firstDone?: number }>;
  };
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
const f3 = (n: number) => n.toFixed(3);
const money = (n: number) => `$${n < 10 ? n.toFixed(2) : f0(n)}`;

function monthlyCost(q: QuarterResult) {
  const rows = q.rows.slice(1); // the first night is a one-off
  const scale = DESIGN_LINES / (q.lines || 1);
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

/**
 * The design fleet: DESIGN_PARTNERS partners of equal size, closing on the day the default spread gives their
 * ids (`defaultCloseDay`), so each close day holds its share of the 10 M lines. close day → lines.
 */
export function designCohorts(): Map<number, number> {
  const perPartner = DESIGN_LINES / DESIGN_PARTNERS;
  const lines = new Map<number, number>();
  for (let i = 1; i <= DESIGN_PARTNERS; i++) {
    const day = defaultCloseDay(`partner-${String(i).padStart(5, '0')}`);
    lines.set(day, (lines.get(day) ?? 0) + perPartner);
  }
  return lines;
}

/**
 * A night at design scale: each close-day cohort of the design fleet at the requests per line its cohort in the
 * sample had that night (a cohort's first night, its close night and its quiet nights differ by far more than
 * partners of one cohort differ), so the sample's one large partner weighs only in its cohort.
 */
export function designRequests(r: NightRow, cohorts = designCohorts()): number {
  const overall = r.requests / Math.max(1, r.lines);
  let total = 0;
  for (const [day, lines] of cohorts) {
    const c = r.cohorts[String(day)];
    total += lines * (c && c.lines > 0 ? c.requests / c.lines : overall);
  }
  // The onboarding wave comes on top of the design fleet, each sample MSP standing for `designScale` of them.
  return total + (r.wave ? r.wave.requests * r.wave.designScale : 0);
}

const hoursAt100 = (requests: number) => requests / 100 / 3600;

export function busiest(q: QuarterResult) {
  const cohorts = designCohorts();
  const rows = q.rows.slice(1);
  const top = rows.reduce((a, b) => (designRequests(b, cohorts) > designRequests(a, cohorts) ? b : a), rows[0]!);
  // Without the spread every partner would rebase on one night: the worst per-line rate a cohort had, for all.
  const worstRate = Math.max(
    ...rows.flatMap((r) => Object.values(r.cohorts).map((c) => (c.lines > 0 ? c.requests / c.lines : 0))),
  );
  return {
    row: top,
    hours: hoursAt100(designRequests(top, cohorts)),
    firstHours: hoursAt100(designRequests(q.rows[0]!, cohorts)),
    noSpreadHours: hoursAt100(worstRate * DESIGN_LINES),
  };
}

/**
 * The bound on a night's requests (BENCHMARKS.md, the simulated quarter): 1.02 × the lines whose pushed value changed, one per partner, and the
 * verification share (1/28) of the quiet lines.
 */
export const requestBound = (r: NightRow, partners: number): number =>
  1.02 * r.newValuePosts + partners + (r.lines - r.newValuePosts) / VERIFICATION_NIGHTS;

/**
 * DynamoDB writes the night's unchanged lines cost, per unchanged line: all the sync's write units less what
 * sent lines cost (the held value and the own receipt of each sent line, the rate budget's claims for its
 * request). What is left: the receipt batches of the lines settled without a request, and each partner's run,
 * lease and partner items (counted against the unchanged lines, though they are per partner).
 */
export const writesPerUnchanged = (r: NightRow): number =>
  r.unchanged > 0
    ? (r.writeUnits - (r.writesByTable.Held ?? 0) - (r.writesByTable.Limits ?? 0) - (r.writesByTable.Receipts ?? 0)) /
      r.unchanged
    : Number.NaN;

function nightTable(q: QuarterResult): string {
  const cohorts = designCohorts();
  const head =
    '| night | as of | lines | changed lines | requests | new values | repeats | bound | 429s | busiest sliding second | RRU | WRU | WRU per unchanged line | worker s | count changes | 404s | design h | lanes (share of requests) | runs |\n' +
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|';
  const body = q.rows.map((r) => {
    const bound = requestBound(r, q.partners);
    return [
      r.night,
      r.asOf,
      f0(r.lines),
      f0(r.changedLines),
      f0(r.requests),
      f0(r.newValuePosts),
      f0(r.countPosts - r.newValuePosts),
      `${f0(bound)}${r.night > 1 && r.requests > bound ? ' ✗' : ''}`,
      r.rateLimited,
      r.busiestSecond ?? '—',
      f0(r.readUnits),
      f0(r.writeUnits),
      Number.isNaN(writesPerUnchanged(r)) ? '—' : f3(writesPerUnchanged(r)),
      f0(r.workerSeconds),
      f0(r.countChanges),
      f0(r.notMapped),
      hoursAt100(designRequests(r, cohorts)).toFixed(2),
      laneText(r),
      Object.entries(r.statuses)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
    ].join(' | ');
  });
  return `${head}\n${body.map((b) => `| ${b} |`).join('\n')}`;
}

/**
 * The onboarding wave of one quarter: each new MSP's first night against its connection (target: within 3
 * nights), and every night of the wave's week with each lane's share of the requests and when its last one went.
 */
function waveSection(q: QuarterResult, busiestRow: NightRow): string {
  const wave = q.wave!;
  const late = wave.partners.filter((p) => p.firstDone === undefined || p.firstDone - p.connectNight > 2);
  const worst = Math.max(...wave.partners.map((p) => (p.firstDone ?? Number.POSITIVE_INFINITY) - p.connectNight + 1));
  const first = Math.min(...wave.partners.map((p) => p.connectNight));
  const last = Math.max(...wave.partners.map((p) => p.firstDone ?? p.connectNight));
  const cohorts = designCohorts();
  const rows = q.rows.filter((r) => r.night >= first && r.night <= last + 1);
  const lanesOf = (r: NightRow) =>
    Object.entries(r.lanes ?? {})
      .map(
        ([lane, l]) =>
          `${lane} ${((100 * l.requests) / Math.max(1, r.requests)).toFixed(1)} % (last at ${(l.endSeconds / 60).toFixed(1)} min)`,
      )
      .join(', ');
  return [
    `\n### Onboarding wave, \`${q.basis}\`: ${wave.partners.length} MSPs of ${f0(wave.lines / wave.partners.length)} lines (standing for ${f0(wave.design)} at design scale)\n`,
    `- every new MSP's first night done within 3 nights of connecting: ${late.length === 0 ? 'yes' : `no (${late.length} late)`}; the slowest took ${worst} night(s).`,
    `- busiest night after the first, wave included, at design scale: ${hoursAt100(designRequests(busiestRow, cohorts)).toFixed(2)} h (night ${busiestRow.night}).`,
    '',
    '| night | as of | wave MSPs connected | wave requests | requests | design h | busiest sliding second | 429s | dead letters | lanes: share of the requests (last request, virtual minutes after the tick) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.night} | ${r.asOf} | ${r.wave?.partners ?? 0} | ${f0(r.wave?.requests ?? 0)} | ${f0(r.requests)} | ${hoursAt100(designRequests(r, cohorts)).toFixed(2)} | ${r.busiestSecond ?? '—'} | ${r.rateLimited} | ${r.deadLetters} | ${lanesOf(r)} |`,
    ),
  ].join('\n');
}

/**
 * When the night's work ended, in virtual minutes after the tick: the partners whose new period began that night
 * (the close-day cohort), each lane, and the night; one row per night with a rebasing cohort. What the planner's
 * order decides: the night's requests are the same in any order, so the design hours are too.
 */
function orderSection(q: QuarterResult): string {
  const rows = q.rows.filter((r) => Object.values(r.cohorts).some((c) => c.rebases && c.endSeconds !== undefined));
  if (rows.length === 0) return '';
  const min = (s: number) => (s / 60).toFixed(2);
  const lane = (r: NightRow, name: string) => (r.lanes?.[name] ? min(r.lanes[name].endSeconds) : '—');
  return [
    `\n### When each night's work ended, \`${q.basis}\` (virtual minutes after the tick)\n`,
    '| night | as of | rebasing cohort: close day, partners, lines | its last request | nightly lane ended | bulk lane ended | night ended | requests |',
    '|---:|---|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const rebasing = Object.entries(r.cohorts).filter(([, c]) => c.rebases);
      const end = Math.max(...rebasing.map(([, c]) => c.endSeconds ?? 0));
      const who = rebasing.map(([d, c]) => `day ${d}, ${c.partners}, ${f0(c.lines)}`).join('; ');
      return `| ${r.night} | ${r.asOf} | ${who} | ${min(end)} | ${lane(r, 'nightly')} | ${lane(r, 'bulk')} | ${min(r.nightSeconds)} | ${f0(r.requests)} |`;
    }),
  ].join('\n');
}

/** Each lane's share of the night's requests, e.g. `nightly 93 %, bulk 7 %`. */
export function laneText(r: NightRow): string {
  if (!r.lanes) return '—';
  const total = Object.values(r.lanes).reduce((n, l) => n + l.requests, 0);
  return Object.entries(r.lanes)
    .map(([lane, l]) => `${lane} ${((100 * l.requests) / Math.max(1, total)).toFixed(0)} %`)
    .join(', ');
}

/** The quarter's targets (BENCHMARKS.md) for one basis, measured over the nights after the first. */
function targets(q: QuarterResult) {
  const rows = q.rows.slice(1);
  const within = rows.filter((r) => r.requests <= requestBound(r, q.partners)).length;
  const worst = Math.max(...rows.map((r) => r.requests / requestBound(r, q.partners)));
  const perUnchanged = rows.map(writesPerUnchanged).filter((x) => !Number.isNaN(x));
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  const limited = q.rows.reduce((n, r) => n + r.rateLimited, 0);
  const allRequests = q.rows.reduce((n, r) => n + r.requests, 0);
  const statuses: Record<string, number> = {};
  for (const r of q.rows) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const repeats = rows.reduce((n, r) => n + r.countPosts - r.newValuePosts, 0);
  const quiet = rows.reduce((n, r) => n + r.lines - r.newValuePosts, 0);
  return {
    within,
    nights: rows.length,
    worst,
    meanPerUnchanged: perUnchanged.reduce((a, b) => a + b, 0) / Math.max(1, perUnchanged.length),
    maxPerUnchanged: Math.max(...perUnchanged),
    requests,
    limitedShare: limited / Math.max(1, allRequests),
    statuses,
    deadLetters: q.rows.reduce((n, r) => n + r.deadLetters, 0),
    repeatShare: repeats / Math.max(1, quiet),
    overheadPerPartner: rows.reduce((n, r) => n + r.requests - r.countPosts, 0) / rows.length / q.partners,
  };
}

const total = (q: QuarterResult | undefined, pick: (r: NightRow) => number) =>
  q ? q.rows.slice(1).reduce((n, r) => n + pick(r), 0) : undefined;

export function renderCalendar(input: {
  opts: {
    partners: number;
    accounts: number;
    large: number;
    nights: number;
    workers: number;
    budget: number;
    wave?: number;
    waveAccounts?: number;
    waveFrom?: number;
    waveDesign?: number;
  };
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
      `\`npm run bench:calendar -- --partners ${opts.partners} --accounts ${opts.accounts} --large ${opts.large} --nights ${opts.nights} --workers ${opts.workers} --budget ${opts.budget}${opts.wave ? ` --wave ${opts.wave} --wave-accounts ${opts.waveAccounts} --wave-from ${opts.waveFrom} --wave-design ${opts.waveDesign}` : ''}\`; ` +
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
  const cols = results.map((q) => ({ q, t: targets(q), b: busiest(q) }));
  const row = (label: string, target: string, pick: (c: (typeof cols)[number]) => string) =>
    `| ${label} | ${target} | ${cols.map(pick).join(' | ')} |`;
  out.push(
    `\n### Targets, nights 2…${opts.nights}\n`,
    `| figure | target | ${cols.map((c) => `\`${c.q.basis}\``).join(' | ')} |`,
    `|---|---|${cols.map(() => '---|').join('')}`,
    row(
      'Gradient requests per night',
      '≤ 1.02 × new values + 1 per partner + 1/28 of quiet lines',
      (c) => `${c.t.within} of ${c.t.nights} nights within; worst ${f2(c.t.worst)} × the bound`,
    ),
    row(
      'repeated values (verification, refused lines retried) per quiet line',
      `≤ 1/${VERIFICATION_NIGHTS} = ${f3(1 / VERIFICATION_NIGHTS)}`,
      (c) => f3(c.t.repeatShare),
    ),
    row('other requests per partner per night (account lists, creations)', '≈ 1', (c) => f2(c.t.overheadPerPartner)),
    row(
      'busiest night at design scale, 100 req/s vendor-wide',
      '≤ 6 h',
      (c) => `**${c.b.hours.toFixed(2)} h** (night ${c.b.row.night}, as of ${c.b.row.asOf})`,
    ),
    row(
      'the same without the close-day spread (every partner rebasing at once)',
      '—',
      (c) => `${c.b.noSpreadHours.toFixed(1)} h`,
    ),
    row('first night at design scale', '—', (c) => `${c.b.firstHours.toFixed(1)} h`),
    row(
      `first night, ${opts.workers} workers sharing ${opts.budget}/s (virtual time: requests ÷ the night's span)`,
      '≥ 95 % of the budget, 429s ≤ 0.1 %',
      (c) => {
        const first = c.q.rows[0]!;
        const rate = first.requests / Math.max(1, first.nightSeconds);
        return `${rate.toFixed(1)} req/s (${((100 * rate) / opts.budget).toFixed(1)} %), busiest sliding second ${first.busiestSecond ?? '—'}, ${first.rateLimited} × 429`;
      },
    ),
    row(
      'busiest sliding second, all nights (as Gradient receives them)',
      '≤ 100',
      (c) => `${Math.max(...c.q.rows.map((r) => r.busiestSecond ?? 0))}`,
    ),
    row(
      'DynamoDB writes per unchanged line per night',
      '≤ 0.05',
      (c) => `${f3(c.t.meanPerUnchanged)} mean, ${f3(c.t.maxPerUnchanged)} max`,
    ),
    row('429s, all nights', '≤ 0.1 % of requests', (c) => `${(100 * c.t.limitedShare).toFixed(3)} %`),
    row(
      'runs',
      'all succeeded',
      (c) =>
        `${Object.entries(c.t.statuses)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}; ${c.t.deadLetters} dead letters`,
    ),
  );
  for (const { q, b } of cols) if (q.wave) out.push(waveSection(q, b.row));
  for (const { q } of cols) out.push(orderSection(q));
  for (const { q, b } of cols) {
    const cost = monthlyCost(q);
    out.push(
      `\n### Design scale (10,000,000 lines, ${f0(DESIGN_PARTNERS)} partners), \`${q.basis}\` averages\n`,
      `- busiest night after the first: night ${b.row.night} (as of ${b.row.asOf}): **${b.hours.toFixed(2)} hours** of Gradient time at 100 requests/s for the whole vendor. ` +
        'Each close-day cohort of the design fleet is taken at the requests per line its cohort had in the sample that night ' +
        `(cohorts: ${[...designCohorts()].map(([d, l]) => `day ${d} ${f0(l / 1000)}k lines`).join(', ')}).`,
      `- the levers: the diff against held values, the close-day spread (without it: ${b.noSpreadHours.toFixed(1)} h), ` +
        'and refused lines left alone until something changed.',
      `- first night: ${b.firstHours.toFixed(1)} hours (every line is new; once per partner).`,
      `- monthly AWS cost (nights 2…last averaged, lines ×${f0(cost.scale)}, ${NIGHTS_PER_MONTH} nights a month): **${money(cost.total)}**\n`,
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
