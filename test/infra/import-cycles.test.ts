// No module of the project imports itself through others: the layers stay a graph that points one way.
import { cycles, importGraph } from '../../scripts/import-graph';

describe('the import graph', () => {
  it('reads the project: every source folder has modules and the wiring imports the adapters', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(150);
    expect([...(graph.get('lambdas/wiring/deps.ts') ?? [])]).toContain('lambdas/adapters/system-clock.ts');
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', new Set(['b.ts'])],
      ['b.ts', new Set(['c.ts'])],
      ['c.ts', new Set(['a.ts'])],
      ['d.ts', new Set(['a.ts'])],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no cycle', () => {
    expect(cycles(importGraph())).toEqual([]);
  });
});
