import { reconcileAccounts } from '../../../lambdas/core/gradient-setup';
import type { AccountMapping } from '../../../lambdas/core/model';
import { FakeGradient, type MemoryDeps, memoryDeps } from '../../support/memory-deps';

/** Three accounts of ours, all in Gradient; a1 and a2 mapped, a3 not. Mapping writes are counted. */
async function setup() {
  const deps = memoryDeps();
  const g = new FakeGradient();
  for (const [id, isMapped] of [
    ['a1', true],
    ['a2', true],
    ['a3', false],
  ] as const) {
    g.accounts.set(id, { id, name: `Company ${id}`, isMapped });
    await deps.accounts.put({ partnerId: 'msp-1', accountId: id, name: `Company ${id}`, active: true, updatedAt: 'x' });
  }
  const written: AccountMapping[][] = [];
  const put = deps.mappings.putAccounts;
  deps.mappings.putAccounts = async (ms) => {
    written.push(ms);
    await put(ms);
  };
  return { deps, g, written };
}

const later = (deps: MemoryDeps) => {
  deps.clock.ms += 86_400_000;
};

describe('reconcileAccounts: what the nightly writes', () => {
  it('writes nothing on a night when no mapping moved, and still answers every mapping', async () => {
    const { deps, g, written } = await setup();
    await reconcileAccounts(deps, 'msp-1', g, { confirm: 'all' });
    expect(written.flat()).toHaveLength(3);
    const first = deps.clock.now().toISOString();

    later(deps);
    const { mappings } = await reconcileAccounts(deps, 'msp-1', g);
    expect(written).toHaveLength(1);
    expect(mappings.map((m) => [m.accountId, m.isMapped, m.syncedAt]).sort()).toEqual([
      ['a1', true, first],
      ['a2', true, first],
      ['a3', false, first],
    ]);
  });

  it('writes only the mapping whose flag flipped, stamped with the night it changed', async () => {
    const { deps, g, written } = await setup();
    await reconcileAccounts(deps, 'msp-1', g, { confirm: 'all' });
    later(deps);
    g.accounts.get('a3')!.isMapped = true;
    const { mappings } = await reconcileAccounts(deps, 'msp-1', g);

    const now = deps.clock.now().toISOString();
    expect(written.at(-1)!.map((m) => m.accountId)).toEqual(['a3']);
    expect(mappings.find((m) => m.accountId === 'a3')).toMatchObject({
      isMapped: true,
      mappedSince: now,
      mappedFromUnmapped: true,
      syncedAt: now,
    });
  });

  it('writes a renamed account, and a save or Sync mappings confirms every mapping again', async () => {
    const { deps, g, written } = await setup();
    await reconcileAccounts(deps, 'msp-1', g, { confirm: 'all' });
    later(deps);
    await deps.accounts.put({ partnerId: 'msp-1', accountId: 'a2', name: 'Renamed', active: true, updatedAt: 'y' });
    await reconcileAccounts(deps, 'msp-1', g);
    expect(written.at(-1)!.map((m) => [m.accountId, m.gradientName])).toEqual([['a2', 'Renamed']]);

    later(deps);
    await reconcileAccounts(deps, 'msp-1', g, { confirm: 'all' });
    expect(written.at(-1)!.map((m) => m.syncedAt)).toEqual(Array(3).fill(deps.clock.now().toISOString()));
  });
});
