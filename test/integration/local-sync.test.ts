// `npm start` (runLocalSync) when it cannot do useful work — Gradient unreachable, an external Gradient and an
// empty folder — and, on a small prepared folder, its line per MSP as the run ends before the report.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveConnection, syncMappings } from '../../lambdas/core/connection';
import { ingestUsage, upsertAccount, upsertService } from '../../lambdas/core/intake';
import { addDays, todayUtc } from '../../lambdas/core/period';
import { startGradientEmulator } from '../../local/gradient-emulator';
import { runLocalSync } from '../../local/local-sync';
import { LOCAL_VENDOR, startLocalStack } from '../../local/stack';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-sync-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(options: Omit<Parameters<typeof runLocalSync>[0], 'out'>) {
  const lines: string[] = [];
  const code = await runLocalSync({ ...options, out: (l) => lines.push(l) });
  return { code, lines };
}

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('says in one line that Gradient cannot be reached, and syncs nothing', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const { code, lines } = await run({ dataDir: freshDir(), gradientBaseUrl: url });
  expect(code).toBe(1);
  expect(lines[0]).toBe(`Gradient at ${url} cannot be reached (ECONNREFUSED): nothing was synced.`);
  expect(lines).toHaveLength(2);
});

it('says it will not seed the demo against another Gradient, and does not report OK', async () => {
  const other = await startGradientEmulator({ vendors: [LOCAL_VENDOR] });
  try {
    const { code, lines } = await run({ dataDir: freshDir(), gradientBaseUrl: other.url });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/^Not seeding the demo: .*GRADIENT_BASE_URL.*nothing to sync/);
    expect(lines.join('\n')).not.toContain('result: OK');
  } finally {
    await other.close();
  }
});

it('prints a line per MSP as its run ends, then the report', async () => {
  const dataDir = freshDir();
  const prepared = await startLocalStack({ dataDir });
  try {
    const deps = prepared.deps;
    prepared.emulator!.addPartner({
      partnerApiKey: 'pk-local-sync-1',
      organizationName: 'Tiny MSP',
      psaCompanies: ['Acme'],
      psaProducts: ['Seat'],
    });
    await upsertService(deps, 'seat', {
      name: 'Seat',
      description: 'Seat',
      category: 'security',
      subcategory: 'password management',
      aggregation: 'last',
    });
    await upsertAccount(deps, 'tiny-msp', 'acme', { name: 'Acme' });
    await ingestUsage(deps, 'tiny-msp', [
      { accountId: 'acme', serviceKey: 'seat', date: addDays(todayUtc(new Date()), -1), quantity: 3 },
    ]);
    await saveConnection(deps, 'tiny-msp', { partnerApiKey: 'pk-local-sync-1' });
    await syncMappings(deps, 'tiny-msp');
  } finally {
    await prepared.close();
  }
  const { code, lines } = await run({ dataDir, pollMs: 20 });
  const progress = lines.findIndex((l) => /^ {2}Tiny MSP +succeeded, 1 lines, 1 sent$/.test(l));
  const table = lines.findIndex((l) => /^ {2}MSP +rounding +run/.test(l));
  expect(progress).toBeGreaterThan(0);
  expect(table).toBeGreaterThan(progress);
  expect(lines.at(-1)).toBe('  result: OK');
  expect(code).toBe(0);
});
