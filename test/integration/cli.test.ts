// The operator CLI (`gbs`) against the local stack over loopback: main() with its output captured for every
// command and exit code, and the installed bin spawned once, end to end.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXIT, main } from '../../client/cli/main';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startStackApi } from '../support/stack-api';

const KEY = 'pk_cli_5e1d0c9b8a7f6e5d4c3b2a19';
let stack: LocalStack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startLocalStack();
  stack.queue.startAutoDrain(stack.worker);
  api = await startStackApi(stack, 'cli');
  stack.emulator!.addPartner({
    partnerApiKey: KEY,
    organizationName: 'CLI MSP',
    psaCompanies: ['Acme Corp'],
    psaProducts: ['Business Seat'],
  });
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  await send('PUT', '/v1/services/seat', {
    name: 'Business Seat',
    description: 'Seat',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'last',
  });
  await send('PUT', '/v1/partners/cli-msp/accounts/acme', { name: 'Acme Corp' });
  await send('PUT', '/v1/partners/cli-msp/accounts/globex', { name: 'Globex' });
  const today = new Date().toISOString().slice(0, 10);
  await send('POST', '/v1/partners/cli-msp/usage', {
    snapshots: [
      { accountId: 'acme', serviceKey: 'seat', date: today, quantity: 7 },
      { accountId: 'globex', serviceKey: 'seat', date: today, quantity: 3 },
    ],
  });
  expect((await send('PUT', '/v1/partners/cli-msp/connection', { partnerApiKey: KEY })).status).toBe(200);
  await send('POST', '/v1/partners/cli-msp/mappings/sync');
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

async function gbs(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main([...argv, '--api-url', api.url], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env: {},
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
  });
  return { code, out, err };
}

/** Where each header word of a table starts: every row must start its cells there too. */
function columnStarts(text: string): number[] {
  const header = text.split('\n')[0]!;
  return [...header.matchAll(/\S+/g)].map((m) => m.index!);
}

it('resyncs, waits for the run and prints it, exit 0 when it succeeded', async () => {
  const { code, out, err } = await gbs('resync', 'cli-msp');
  expect(err).toBe('');
  expect(code).toBe(EXIT.ok);
  expect(out).toMatch(/^status: +succeeded$/m);
  expect(out).toMatch(/^accepted: +1$/m);
  expect(out).toMatch(/^notMapped: +1$/m);
  // The run's lines as a table: globex was never sent (its account is unmapped in Synthesize).
  expect(out).toMatch(/^acme +seat .*accepted/m);
  expect(out).toMatch(/^globex +seat .*not_mapped/m);
});

it('lists runs as an aligned table and a run as JSON for scripts', async () => {
  await gbs('resync', 'cli-msp', '--full');
  const runs = await gbs('runs', 'cli-msp');
  expect(runs.code).toBe(EXIT.ok);
  const lines = runs.out.trimEnd().split('\n');
  expect(lines).toHaveLength(3);
  const starts = columnStarts(runs.out);
  for (const line of lines.slice(1)) {
    for (const start of starts.slice(1)) expect(line[start - 1]).toBe(' ');
    for (const start of starts) expect(line[start]).not.toBe(' ');
  }
  // Run ids sort by the second they were queued in: two runs of one second list in either order.
  const fullRow = lines.slice(1).find((l) => / true /.test(l))!;
  const runId = fullRow.split(/\s+/)[0]!;
  const run = await gbs('run', 'cli-msp', runId, '--json');
  expect(run.code).toBe(EXIT.ok);
  expect(JSON.parse(run.out)).toMatchObject({ runId, status: 'succeeded', full: true, lines: expect.any(Array) });
});

it('shows a partner, and says what the API answered with exit 3 for an unknown one', async () => {
  const shown = await gbs('partner', 'cli-msp');
  expect(shown.code).toBe(EXIT.ok);
  expect(shown.out).toMatch(/^organizationName: +CLI MSP$/m);
  expect(shown.out).toMatch(/^unmappedAccounts: +1$/m);
  expect(shown.out).not.toContain(KEY);
  const missing = await gbs('run', 'cli-msp', 'no-such-run');
  expect(missing.code).toBe(EXIT.apiError);
  expect(missing.err).toMatch(/404 not_found/);
});

it('answers usage errors with exit 2 before calling anything', async () => {
  expect((await gbs('resync')).code).toBe(EXIT.usage);
  expect((await gbs('runs', 'cli-msp', '--bogus')).code).toBe(EXIT.usage);
  const badPeriod = await gbs('resync', 'cli-msp', '--period', '2026-13');
  expect(badPeriod.code).toBe(EXIT.usage);
  expect(badPeriod.err).toMatch(/invalid input/);
  expect((await gbs('dlq', 'redrive')).code).toBe(EXIT.usage);
  expect((await gbs('nothing')).code).toBe(EXIT.usage);
  const noTarget = await main(['runs', 'cli-msp'], { out: () => undefined, err: () => undefined, env: {} });
  expect(noTarget).toBe(EXIT.usage);
});

it('reads the fleet, statement and unmapped views, or says this API has no such route yet', async () => {
  for (const argv of [['partners'], ['statement', 'cli-msp', '2026-11', '--csv'], ['unmapped', 'cli-msp']]) {
    const { code, out, err } = await gbs(...argv);
    if (code === EXIT.ok) expect(out.length).toBeGreaterThan(0);
    else {
      expect(code).toBe(EXIT.apiError);
      expect(err).toMatch(/has no .* route yet/);
    }
  }
});

it('exits 1 when the run it waited for failed', async () => {
  // Gradient refuses the key twice (the cached key, then the one read again): the partner turns auth_failed.
  stack.emulator!.injectFaults({ kind: '401', count: 2, route: 'count' });
  const { code, out } = await gbs('resync', 'cli-msp', '--full');
  expect(code).toBe(EXIT.runNotSucceeded);
  expect(out).toMatch(/^status: +failed$/m);
});

it('runs as the installed bin', async () => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [
    join(__dirname, '../../bin/gbs.cjs'),
    'runs',
    'cli-msp',
    '--api-url',
    api.url,
    '--json',
  ]);
  expect(JSON.parse(stdout).runs.length).toBeGreaterThan(0);
  await expect(run(process.execPath, [join(__dirname, '../../bin/gbs.cjs'), 'runs'])).rejects.toMatchObject({
    code: EXIT.usage,
  });
});
