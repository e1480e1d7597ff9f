// The project's import graph among its own modules, read from the source (relative `import`/`export … from`
// and `import()` specifiers; type-only imports included, since a type cycle is still a cycle of meaning).
// `npm run imports` prints the folder-level graph and every cycle; test/infra/import-cycles.test.ts fails on one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
/** The source folders whose modules must not form a cycle. */
export const SOURCE_DIRS = ['lambdas', 'lib', 'local', 'client', 'console/src', 'bin', 'scripts'] as const;

const SPECIFIER =
  /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function tsFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(abs, f))
    .filter((f) => statSync(f).isFile());
}

function resolveSpecifier(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile() && /\.tsx?$/.test(candidate)) return candidate;
  }
  return undefined;
}

/** Module → the project modules it imports (paths relative to the repository). */
export function importGraph(dirs: readonly string[] = SOURCE_DIRS): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of dirs.flatMap(tsFiles)) {
    const source = readFileSync(file, 'utf8');
    const edges = new Set<string>();
    for (const m of source.matchAll(SPECIFIER)) {
      const target = resolveSpecifier(file, (m[1] ?? m[2]) as string);
      if (target) edges.add(relative(ROOT, target));
    }
    graph.set(relative(ROOT, file), edges);
  }
  return graph;
}

/** Strongly connected components of more than one module (or a module importing itself): the cycles. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return out;
}

/** The folder of a module, two levels deep under `lambdas/` (lambdas/core/sync), one elsewhere (local). */
const folderOf = (file: string): string => {
  const parts = file.split('/');
  return parts[0] === 'lambdas' ? parts.slice(0, Math.min(3, parts.length - 1)).join('/') : parts[0]!;
};

/** Folder → folders it imports, with how many module imports cross that edge. */
export function folderGraph(graph: Map<string, Set<string>>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      const edges = out.get(a) ?? new Map<string, number>();
      edges.set(b, (edges.get(b) ?? 0) + 1);
      out.set(a, edges);
    }
  }
  return out;
}

if (require.main === module) {
  const graph = importGraph();
  const folders = folderGraph(graph);
  for (const from of [...folders.keys()].sort()) {
    const edges = [...folders.get(from)!].sort(([a], [b]) => a.localeCompare(b));
    console.log(`${from} → ${edges.map(([to, n]) => `${to} (${n})`).join(', ')}`);
  }
  const found = cycles(graph);
  console.log(`\n${graph.size} modules, ${found.length} import cycle(s)`);
  for (const c of found) console.log(`  cycle: ${c.join(' ↔ ')}`);
}
