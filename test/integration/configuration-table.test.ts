// The README's configuration table against the code: every variable env.ts parses and every one the code reads
// is listed, and every value the local stack sets over the environment is shown in its "local stack" column.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../lambdas/shared/env';
import { ALL_TABLES } from '../../lambdas/shared/tables';
import { startLocalStack } from '../../local/stack';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## The HTTP API'));
/** variable → its row's cells (variable, meaning, default, local stack). */
const rows = new Map<string, string[]>();
for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
  const cells = line.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, ''));
  for (const m of cells[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) rows.set(m[1]!, cells);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

it('lists every variable env.ts parses', () => {
  const missing = Object.keys(envSchema.shape).filter((v) => !rows.has(v));
  expect(missing).toEqual([]);
});

it('lists every variable the code reads (AWS_* and CDK_* belong to AWS and the CDK)', () => {
  const files = [...sources(join(root, 'lambdas')), ...sources(join(root, 'client')), join(root, 'bin/local.ts')];
  const read = new Set<string>();
  for (const file of files) {
    // Comments may show a caller's own variables (e.g. a forwarding example); only code counts.
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => !/^\s*(\/\/|\*)/.test(l))
      .join('\n');
    for (const m of text.matchAll(/(?:process\.env|\benv)(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) {
      read.add((m[1] ?? m[2])!);
    }
  }
  expect(read.size).toBeGreaterThan(10);
  const missing = [...read].filter((v) => !/^(AWS|CDK)_/.test(v) && !rows.has(v));
  expect(missing).toEqual([]);
});

it("shows what the local stack sets over the environment in each row's local column", async () => {
  const before = { ...process.env };
  for (const name of Object.keys(envSchema.shape)) delete process.env[name];
  const stack = await startLocalStack();
  try {
    for (const name of Object.keys(envSchema.shape)) {
      const local = process.env[name];
      const cell = rows.get(name)![3]!;
      // Every schema variable was unset before the start: what is set now, the stack set.
      if (local === undefined) continue;
      const table = ALL_TABLES.find((t) => t.envVar === name);
      if (table) expect(cell).toContain('`local-<Id>`');
      else if (String(local).includes('://')) expect(cell).toContain('emulator');
      else expect({ name, cell }).toEqual({ name, cell: expect.stringContaining(`\`${local}\``) });
    }
  } finally {
    await stack.close();
    process.env = before;
  }
});
