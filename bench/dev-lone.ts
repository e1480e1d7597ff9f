// `npm run bench:dev`: a lone first night on `npm run dev`, driven from outside as a person would, measured where
// Gradient receives it. The Gradient emulator runs in a process of its own (bench/emulator-process.ts), limiting
// at 100 requests in any sliding second, 5–20 ms latency; `npm run dev` (bin/local.ts serve, its own process,
// GRADIENT_BASE_URL pointing at that emulator, a fresh LOCAL_DATA_DIR) is driven over HTTP only: catalog,
// accounts, today's usage, the MSP's key saved, then a resync of the MSP's first period. The rate is the requests
// from the run's first arrival to its last (arrivals.ts). Each repeat starts a fresh `npm run dev`.
// Options: --accounts 150 (× 4 services: 600 lines) --repeat 3 --checkout <dir> (run that checkout's `npm run dev`,
//          to measure another commit against the same emulator)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { isRunFinished } from '../lambdas/core/model';
import { DEMO_SERVICES } from '../local/demo';
import { LOCAL_RATE_BUDGET } from '../local/stack';
import { ARRIVAL_ALIGN, ARRIVAL_HEADER, arrivalCells, arrivalsOf, medianCells } from './arrivals';
import { startEmulatorProcess } from './remote-emulator';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '150' },
    repeat: { type: 'string', default: '3' },
    checkout: { type: 'string', default: '.' },
  },
});
const accounts = Number(values.accounts);
const repeat = Number(values.repeat);
if (!(Number.isInteger(accounts) && accounts >= 1 && Number.isInteger(repeat) && repeat >= 1))
  throw new Error('--accounts and --repeat must be whole numbers ≥ 1');
/** `npm run dev`'s own budget: the bench sets none. */
const BUDGET = LOCAL_RATE_BUDGET;

const freePort = () =>
  new Promise<number>((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** `npm run dev` in its own process; resolves once it prints its API's URL. */
async function startDev(gradientUrl: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const checkout = resolve(values.checkout!);
  const child = spawn(process.execPath, ['--import', 'tsx', join(checkout, 'bin/local.ts'), 'serve'], {
    cwd: checkout,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port), GRADIENT_BASE_URL: gradientUrl, LOCAL_DATA_DIR: dataDir },
  });
  await new Promise<void>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`npm run dev exited (${code})`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('gradient-billing-sync API')) done();
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const runSchema = z.object({
  status: z.string(),
  summary: z.object({ lines: z.number() }),
  // Absent from a run view of a commit before lanes (--checkout).
  lane: z.string().default('no'),
});

async function once(): Promise<ReturnType<typeof arrivalsOf> & { lines: number; status: string; lane: string }> {
  const emulator = await startEmulatorProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'gbs-dev-bench-'));
  const dev = await startDev(emulator.url, dataDir);
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${dev.url}${path}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  try {
    const partnerId = 'bench-msp';
    const key = 'pk-bench-dev';
    const today = new Date().toISOString().slice(0, 10);
    const names = Array.from({ length: accounts }, (_, i) => `Company ${String(i + 1).padStart(4, '0')}`);
    for (const { serviceKey, ...service } of DEMO_SERVICES) await call('PUT', `/v1/services/${serviceKey}`, service);
    for (const [i, name] of names.entries()) await call('PUT', `/v1/partners/${partnerId}/accounts/acc-${i}`, { name });
    const snapshots = names.flatMap((_, i) =>
      DEMO_SERVICES.map((s, k) => ({
        accountId: `acc-${i}`,
        serviceKey: s.serviceKey,
        date: today,
        quantity: 1 + ((i + k) % 40),
      })),
    );
    for (let i = 0; i < snapshots.length; i += 1000)
      await call('POST', `/v1/partners/${partnerId}/usage`, { snapshots: snapshots.slice(i, i + 1000) });
    await emulator.addPartner({
      partnerApiKey: key,
      organizationName: 'Bench MSP',
      psaCompanies: names,
      psaProducts: DEMO_SERVICES.map((s) => s.name),
    });
    await call('PUT', `/v1/partners/${partnerId}/connection`, { partnerApiKey: key, roundingPolicy: 'none' });
    await emulator.setRateLimit({ perSecond: 100, window: 'sliding' });
    await emulator.setLatency({ min: 5, max: 20 });
    const from = (await emulator.requestLog()).length;
    const { runId } = z.object({ runId: z.string() }).parse(await call('POST', `/v1/partners/${partnerId}/resync`, {}));
    let run: z.infer<typeof runSchema>;
    for (;;) {
      run = runSchema.parse(await call('GET', `/v1/partners/${partnerId}/runs/${runId}`));
      if (isRunFinished(run.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const log = (await emulator.requestLog()).slice(from);
    return { ...arrivalsOf(log), lines: run.summary.lines, status: run.status, lane: run.lane };
  } finally {
    dev.child.kill('SIGTERM');
    await new Promise((r) => dev.child.once('exit', r));
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `npm run dev (budget ${BUDGET}/s, its own process), the emulator in its own process limiting at 100 per sliding ` +
      `second, 5–20 ms latency; a lone first night of ${accounts} accounts × ${DEMO_SERVICES.length} services, ${repeat} runs`,
  );
  console.log(
    `| run | lines | requests | seconds | ${ARRIVAL_HEADER} | run |\n` + `|---|---:|---:|---:|${ARRIVAL_ALIGN}|---|`,
  );
  const rows = [];
  for (let i = 0; i < repeat; i++) {
    const r = await once();
    rows.push(r);
    console.log(
      `| ${i + 1} | ${r.lines} | ${r.requests} | ${r.seconds.toFixed(2)} | ${arrivalCells(r, BUDGET)} | ${r.status}, ${r.lane} lane |`,
    );
  }
  console.log(`| median of ${rows.length} | | | | ${medianCells(rows, BUDGET)} | |`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
