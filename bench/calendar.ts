// `npm run bench:calendar`: a simulated quarter (90 nights from 1 January, across the month boundaries and the
// 28-day verifications) through the real planner and worker handlers, core and DynamoDB repositories. DynamoDB is
// bench/memory-dynamo.ts (metered as on-demand bills), Gradient and time are simulated (bench/calendar-sim.ts).
// The vendor's usage starts in December, so the first night is every partner's first night and each partner
// rebases on its own close day. Both bases run side by side, one child process each (two cores).
// Options: --partners 100 --accounts 200 --large 20 --nights 90 --workers 4 --budget 95 --basis both
//          --wave 0 --wave-accounts 200 --wave-from 10 --wave-design 500: an onboarding wave of `wave` more MSPs of
//          `wave-accounts` × 5 lines, connecting one a night over the 7 nights from night `wave-from` (1-based)
//          beside the fleet, each standing for wave-design ÷ wave MSPs at design scale
//          --latency 20-50: Gradient's answer time in virtual ms (uniform between the two)
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { IsoDate } from '../lambdas/core/model';
import type { NightRow, QuarterResult } from './calendar-report';

const started = performance.now();
// The metrics middleware notes each invocation without metrics (they are disabled here): noise, not a figure.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).startsWith('No application metrics')) warn(...args);
};
const say = (m: string) =>
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);
const DAY_MS = 86_400_000;

function options() {
  const { values } = parseArgs({
    options: {
      partners: { type: 'string', default: '100' },
      accounts: { type: 'string', default: '200' },
      large: { type: 'string', default: '20' },
      nights: { type: 'string', default: '90' },
      workers: { type: 'string', default: '4' },
      budget: { type: 'string', default: '95' },
      basis: { type: 'string', default: 'both' },
      wave: { type: 'string', default: '0' },
      'wave-accounts': { type: 'string', default: '200' },
      'wave-from': { type: 'string', default: '10' },
      'wave-design': { type: 'string', default: '500' },
      latency: { type: 'string', default: '20-50' },
      /** A child's result file: the child runs one basis and writes its QuarterResult there. */
      out: { type: 'string' },
      /** Only render the report again from .bench/calendar.json (no quarter is run). */
      render: { type: 'boolean', default: false },
      /** Every partner opts into billing-health alerts (their requests are counted apart). */
      alerts: { type: 'boolean', default: false },
    },
  });
  const n = (k: keyof typeof values) => {
    const v = Number(values[k]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a whole number ≥ 1`);
    return v;
  };
  const [min, max] = String(values.latency).split('-').map(Number);
  if (!(Number.isFinite(min) && Number.isFinite(max) && min! >= 0 && max! >= min!))
    throw new Error('--latency must be min-max in ms, e.g. 20-50');
  return {
    latency: { min: min!, max: max! },
    partners: n('partners'),
    accounts: n('accounts'),
    large: n('large'),
    nights: n('nights'),
    workers: n('workers'),
    budget: n('budget'),
    wave: Number(values.wave) || 0,
    waveAccounts: n('wave-accounts'),
    waveFrom: n('wave-from'),
    waveDesign: n('wave-design'),
    bases: values.basis === 'both' ? ['to_date', 'projected'] : [String(values.basis)],
    out: values.out,
    render: values.render,
    alerts: values.alerts,
  };
}
type Options = ReturnType<typeof options>;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function quarter(opts: Options, basis: string): Promise<QuarterResult | undefined> {
  const { createWorkerHandler } = await import('../lambdas/handlers/worker');
  const { workerProcess } = await import('../lambdas/wiring');
  const { createPlannerHandler } = await import('../lambdas/handlers/planner');
  const { upsertAccount, upsertService } = await import('../lambdas/core/intake');
  const { saveConnection } = await import('../lambdas/core/connection');
  const { updatePartnerSettings } = await import('../lambdas/core/partners');
  const { BATCH_KEY_PREFIX } = await import('../lambdas/adapters/dynamo/receipt-batches');
  const { CALENDAR_SERVICES, CalendarWorkload } = await import('./calendar-workload');
  const { mapLimit } = await import('./workload');
  const { closeDayOf } = await import('../lambdas/core/partners');
  const { VirtualClock } = await import('./calendar-sim');
  const { simWorld } = await import('./sim-world');
  const { laneOf } = await import('../lambdas/core/model');
  const { laneText } = await import('./calendar-report');
  const { rebasesOn } = await import('../lambdas/core/sync/night-order');

  const firstAsOf = Date.parse('2027-01-01T00:00:00Z');
  // Every line's state is known from 1 December: the partners closing after the 1st still compute December on
  // the first nights of January, and every later rebase follows a month of usage.
  const historyFrom = '2026-12-01';
  const clock = new VirtualClock(firstAsOf);
  const { env, dynamo, gradient, queue, deps, getDeps } = await simWorld({
    tablePrefix: 'cal',
    budget: opts.budget,
    workers: opts.workers,
    clock,
    latencyMs: opts.latency,
    // Receipts of lines settled without a request (many to an item) are metered apart from a sent line's own.
    meterAs: (table, item) =>
      table === 'Receipts' && String(item.line).startsWith(BATCH_KEY_PREFIX) ? 'ReceiptBatches' : table,
  });

  // Catalog: average services take the basis under test where the catalog knows `averageBasis`.
  let basisKnown = false;
  for (const { serviceKey, ...service } of CALENDAR_SERVICES) {
    const input = service.aggregation === 'average' ? { ...service, averageBasis: basis } : service;
    await upsertService(deps, serviceKey, input as never);
    const stored = (await deps.catalog.get(serviceKey)) as unknown as Record<string, unknown> | undefined;
    if (service.aggregation === 'average' && stored?.averageBasis === basis) basisKnown = true;
  }
  if (basis !== 'to_date' && !basisKnown) return undefined;

  const workload = new CalendarWorkload({
    partners: opts.partners,
    accounts: opts.accounts,
    largeFactor: opts.large,
    seed: 42,
  });
  say(
    `[${basis}] seeding ${workload.lines.toLocaleString('en-US')} lines (${opts.partners} partners, one ×${opts.large})…`,
  );
  for (const p of workload.partners) {
    gradient.addPartner(p.key, p.name, p.unmapped);
    await mapLimit([...p.accounts], 16, async ([accountId, a]) => {
      await upsertAccount(deps, p.partnerId, accountId, { name: a.name });
    });
    await saveConnection(deps, p.partnerId, { partnerApiKey: p.key, roundingPolicy: 'up' });
    if (opts.alerts) await updatePartnerSettings(deps, p.partnerId, { alerts: { enabled: true } });
  }
  await deps.usage.putSnapshots(workload.firstDay(historyFrom));
  // The onboarding wave: its usage is there from December (the vendor knew these companies before the MSPs came
  // over from another integration); each MSP connects on its night, so its first night is the night after.
  const wave =
    opts.wave > 0
      ? new CalendarWorkload({
          partners: opts.wave,
          accounts: opts.waveAccounts,
          largeFactor: 1,
          seed: 43,
          prefix: 'wave',
        })
      : undefined;
  const waveNight = (i: number) => opts.waveFrom - 1 + (i % 7);
  const waveState = (wave?.partners ?? []).map((p, i) => ({
    partner: p,
    connectNight: waveNight(i) + 1,
    connected: false,
    firstDone: undefined as number | undefined,
  }));
  if (wave) {
    for (const p of wave.partners) gradient.addPartner(p.key, p.name, p.unmapped);
    await deps.usage.putSnapshots(wave.firstDay(historyFrom));
  }
  const closeDays = new Map(workload.partners.map((p) => [p.key, closeDayOf({ partnerId: p.partnerId })]));
  gradient.takeTally();

  const workers = Array.from({ length: opts.workers }, () => {
    const worker = workerProcess(env, { deps });
    return createWorkerHandler(async () => worker) as never;
  });
  const planner = createPlannerHandler(getDeps);
  const rows: NightRow[] = [];
  for (let night = 0; night < opts.nights; night++) {
    const asOfMs = firstAsOf + night * DAY_MS;
    const w0 = dynamo.capacity.write;
    const r0 = dynamo.capacity.read;
    let changedLines = 0;
    if (night > 0) {
      // The day's usage arrives before the night (intake: not the sync's cost, metered apart).
      const day = workload.nextDay(iso(asOfMs));
      changedLines = day.snapshots.length;
      for (const { partner, accountId } of day.added) {
        await upsertAccount(deps, partner.partnerId, accountId, { name: partner.accounts.get(accountId)!.name });
      }
      for (const { partner, accountId } of day.removed) {
        await upsertAccount(deps, partner.partnerId, accountId, {
          name: partner.accounts.get(accountId)!.name,
          active: false,
        } as never);
      }
      await deps.usage.putSnapshots(day.snapshots);
      if (wave) {
        const waveDay = wave.nextDay(iso(asOfMs));
        for (const { partner, accountId } of [...waveDay.added, ...waveDay.removed]) {
          const a = partner.accounts.get(accountId)!;
          await upsertAccount(deps, partner.partnerId, accountId, { name: a.name, active: a.active } as never);
        }
        await deps.usage.putSnapshots(waveDay.snapshots);
      }
    }
    // The wave's MSPs of tonight connect (accounts registered, key saved) before the planner runs.
    for (const w of waveState) {
      if (w.connectNight !== night + 1) continue;
      await mapLimit([...w.partner.accounts], 16, async ([accountId, a]) => {
        await upsertAccount(deps, w.partner.partnerId, accountId, { name: a.name, active: a.active } as never);
      });
      await saveConnection(deps, w.partner.partnerId, { partnerApiKey: w.partner.key, roundingPolicy: 'up' });
      w.connected = true;
    }
    const intakeWrite = dynamo.capacity.write - w0;
    const intakeRead = dynamo.capacity.read - r0;
    const tick = asOfMs + DAY_MS + 2 * 3_600_000;
    clock.set(tick);
    const s0 = {
      w: dynamo.capacity.write,
      r: dynamo.capacity.read,
      d: queue.deliveries,
      ms: queue.workerMs,
      dl: queue.deadLetters,
      sends: queue.sends,
      byTable: Object.fromEntries(Object.entries(dynamo.capacity.byTable).map(([t, c]) => [t, c.write])),
    };
    const wall0 = performance.now();
    const plan = await planner({ scheduledTime: new Date(tick).toISOString() }, {} as never);
    await queue.drain(workers, 300_000);
    const tally = gradient.takeTally();
    // Every run of the night has finished: its receipts are not read again (the bench lists none).
    dynamo.archive('Receipts');
    // Read before the bench's own reads of the runs below.
    const readUnits = dynamo.capacity.read - s0.r;
    const runs = { lines: 0, sent: 0, unchanged: 0, statuses: {} as Record<string, number> };
    const cohorts: NightRow['cohorts'] = {};
    const lanes: NonNullable<NightRow['lanes']> = {};
    const waveRow = { partners: 0, lines: 0, requests: 0, designScale: opts.waveDesign / Math.max(1, opts.wave) };
    for (const p of [...workload.partners, ...waveState.filter((w) => w.connected).map((w) => w.partner)]) {
      const run = await deps.runs.get(p.partnerId, plan.runId);
      const inWave = waveState.find((w) => w.partner === p);
      if (inWave) {
        waveRow.partners += 1;
        waveRow.lines += run?.summary.lines ?? 0;
        waveRow.requests += tally.byKey[p.key] ?? 0;
        if (run?.status === 'succeeded' && inWave.firstDone === undefined) inWave.firstDone = night + 1;
      }
      if (run) {
        const lane = laneOf(run);
        const l = lanes[lane] ?? { partners: 0, requests: 0, endSeconds: 0 };
        lanes[lane] = l;
        l.partners += 1;
        l.requests += tally.byKey[p.key] ?? 0;
        const last = tally.lastAtByKey[p.key];
        if (last !== undefined) l.endSeconds = Math.max(l.endSeconds, (last - tick) / 1000);
      }
      const status = run?.status ?? 'missing';
      runs.statuses[status] = (runs.statuses[status] ?? 0) + 1;
      runs.lines += run?.summary.lines ?? 0;
      runs.sent += run?.summary.sent ?? 0;
      runs.unchanged += run?.summary.unchanged ?? 0;
      if (inWave) continue;
      const closeDay = closeDays.get(p.key)!;
      const day = String(closeDay);
      const c = cohorts[day] ?? {
        partners: 0,
        lines: 0,
        requests: 0,
        endSeconds: 0,
        rebases: rebasesOn(iso(asOfMs) as IsoDate, closeDay),
      };
      cohorts[day] = c;
      c.partners += 1;
      c.lines += run?.summary.lines ?? 0;
      c.requests += tally.byKey[p.key] ?? 0;
      const last = tally.lastAtByKey[p.key];
      if (last !== undefined) c.endSeconds = Math.max(c.endSeconds ?? 0, (last - tick) / 1000);
    }
    const row: NightRow = {
      night: night + 1,
      asOf: iso(asOfMs),
      lines: runs.lines,
      changedLines,
      requests: tally.requests,
      countPosts: tally.countPosts,
      countChanges: tally.countChanges,
      newValuePosts: tally.newValuePosts,
      notMapped: tally.notMapped,
      alertRequests: tally.alertRequests,
      rateLimited: tally.rateLimited,
      busiestSecond: tally.busiestSecond,
      lanes,
      ...(wave && { wave: waveRow }),
      cohorts,
      unchanged: runs.unchanged,
      sent: runs.sent,
      readUnits,
      writeUnits: dynamo.capacity.write - s0.w,
      writesByTable: Object.fromEntries(
        Object.entries(dynamo.capacity.byTable)
          .map(([t, c]) => [t, c.write - (s0.byTable[t] ?? 0)] as const)
          .filter(([, w]) => w > 0),
      ),
      intakeReadUnits: intakeRead,
      intakeWriteUnits: intakeWrite,
      deliveries: queue.deliveries - s0.d,
      messages: queue.sends - s0.sends,
      deadLetters: queue.deadLetters - s0.dl,
      workerSeconds: (queue.workerMs - s0.ms) / 1000,
      nightSeconds: (clock.ms - tick) / 1000,
      benchSeconds: (performance.now() - wall0) / 1000,
      statuses: runs.statuses,
    };
    rows.push(row);
    say(
      `[${basis}] night ${String(row.night).padStart(2)} ${row.asOf}: lines ${row.lines}, changed ${row.changedLines}, ` +
        `requests ${row.requests} (${row.changedLines ? (row.requests / row.changedLines).toFixed(2) : '—'}/changed), ` +
        `429 ${row.rateLimited}, busiest s ${row.busiestSecond}, lanes ${laneText(row)}, RRU ${row.readUnits.toFixed(0)}, WRU ${row.writeUnits}, worker ${row.workerSeconds.toFixed(0)} s, ` +
        `count changes ${row.countChanges}, 404 ${row.notMapped}, alert requests ${row.alertRequests}, ` +
        `night ${row.nightSeconds.toFixed(0)} s, runs ${JSON.stringify(row.statuses)} (${row.benchSeconds.toFixed(1)} s)`,
    );
  }
  return {
    basis,
    rows,
    storedBytes: dynamo.storedBytes(),
    partners: opts.partners,
    lines: workload.lines,
    ...(wave && {
      wave: {
        design: opts.waveDesign,
        lines: wave.lines,
        partners: waveState.map((w) => ({
          partnerId: w.partner.partnerId,
          connectNight: w.connectNight,
          firstDone: w.firstDone,
        })),
      },
    }),
  };
}

/** One basis in a child process (its own heap and core); resolves to its result, or undefined when n/a. */
function child(opts: Options, basis: string): Promise<QuarterResult | undefined> {
  const out = resolve('.bench', `calendar-${basis}.json`);
  rmSync(out, { force: true });
  const args = [
    ...(['partners', 'accounts', 'large', 'nights', 'workers', 'budget'] as const).flatMap((k) => [
      `--${k}`,
      String(opts[k]),
    ]),
    ...['--latency', `${opts.latency.min}-${opts.latency.max}`],
    ...['--wave', String(opts.wave), '--wave-accounts', String(opts.waveAccounts)],
    ...['--wave-from', String(opts.waveFrom), '--wave-design', String(opts.waveDesign)],
  ];
  if (opts.alerts) args.push('--alerts');
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', process.argv[1]!, ...args, '--basis', basis, '--out', out], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '--max-semi-space-size=64 --max-old-space-size=8192' },
    });
    p.on('error', fail);
    p.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`the ${basis} quarter exited with ${code}`));
      done(
        existsSync(out) ? ((JSON.parse(readFileSync(out, 'utf8')) as QuarterResult | null) ?? undefined) : undefined,
      );
    });
  });
}

async function main(): Promise<void> {
  const opts = options();
  mkdirSync(resolve('.bench'), { recursive: true });
  if (opts.out) {
    // A child: one basis, its result to the file the parent reads.
    const r = await quarter(opts, opts.bases[0]!);
    if (!r) say(`[${opts.bases[0]}] the catalog has no averageBasis: n/a`);
    writeFileSync(opts.out, JSON.stringify(r ?? null));
    return;
  }
  const { renderCalendar, renderSvg } = await import('./calendar-report');
  let results: QuarterResult[];
  let skipped: string[];
  let totalSeconds: number;
  if (opts.render) {
    const saved = JSON.parse(readFileSync(resolve('.bench/calendar.json'), 'utf8'));
    Object.assign(opts, saved.opts, { render: true });
    results = saved.results;
    skipped = opts.bases.filter((b) => !results.some((r) => r.basis === b));
    totalSeconds = saved.totalSeconds;
  } else {
    const settled = await Promise.all(opts.bases.map((basis) => child(opts, basis)));
    results = settled.filter((r): r is QuarterResult => r !== undefined);
    skipped = opts.bases.filter((_, i) => settled[i] === undefined);
    totalSeconds = (performance.now() - started) / 1000;
  }
  mkdirSync(resolve('docs'), { recursive: true });
  writeFileSync(resolve('docs/bench-calendar-requests.svg'), renderSvg(results));
  const md = renderCalendar({ opts, results, skipped, totalSeconds });
  writeFileSync(resolve('.bench/calendar.md'), md);
  if (!opts.render)
    writeFileSync(resolve('.bench/calendar.json'), `${JSON.stringify({ opts, results, totalSeconds }, null, 2)}\n`);
  process.stdout.write(`\n${md}\n`);
  say('done; .bench/calendar.md, .bench/calendar.json, docs/bench-calendar-requests.svg');
}

main().catch((error) => {
  process.stderr.write(
    `bench:calendar failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
