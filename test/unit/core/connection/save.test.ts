// saveConnection on its own: a rejected key or bad input writes nothing, a failed Gradient setup leaves the
// partner as it was, a re-save keeps what the partner already had, another organization's key forgets the
// held values.
import { saveConnection } from '../../../../lambdas/core/connection/save';
import { GradientKeyRejectedError, GradientServerError, ValidationError } from '../../../../lambdas/core/errors';
import { FakeGradient, type MemoryDeps, memoryDeps } from '../../../support/memory-deps';

const PARTNER = 'msp-1';
const KEY = 'partner-key-123';

async function setup(): Promise<{ deps: MemoryDeps; g: FakeGradient }> {
  const deps = memoryDeps();
  const g = new FakeGradient();
  g.organization = { organizationId: 'org-1', name: 'Example MSP' };
  g.accounts.set('a1', { id: 'a1', name: 'Acme', isMapped: true });
  deps.gradients.set(KEY, g);
  await deps.catalog.put({
    serviceKey: 'seats',
    name: 'Seats',
    description: 'Seats',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'last',
    updatedAt: '2026-11-01',
  });
  for (const [accountId, name] of [
    ['a1', 'Acme'],
    ['a2', 'Globex'],
  ] as const) {
    await deps.accounts.put({ partnerId: PARTNER, accountId, name, active: true, updatedAt: '2026-11-01' });
  }
  return { deps, g };
}

/** Everything the save may write, to compare before and after a refused one. */
const written = (deps: MemoryDeps) => ({
  partners: [...deps.state.partners.values()],
  keys: [...deps.state.keys.entries()],
  accountMappings: [...deps.state.accountMappings.values()],
  serviceMappings: [...deps.state.serviceMappings.values()],
  held: [...deps.state.held.values()],
});

describe('saving a connection', () => {
  it('verifies the key, sets Gradient up, then stores the key and a pending partner', async () => {
    const { deps, g } = await setup();
    const partner = await saveConnection(deps, PARTNER, { partnerApiKey: KEY, roundingPolicy: 'up' });

    expect(partner).toMatchObject({
      partnerId: PARTNER,
      status: 'pending',
      roundingPolicy: 'up',
      organizationId: 'org-1',
      organizationName: 'Example MSP',
      unmappedAccounts: 1,
    });
    expect(deps.state.keys.get(PARTNER)).toBe(KEY);
    expect(deps.state.partners.get(PARTNER)).toEqual(partner);
    expect(g.status).toBe('pending');
    expect(g.skus.map((s) => s.name)).toEqual(['Seats']);
    expect([...g.accounts.keys()].sort()).toEqual(['a1', 'a2']);
    expect(deps.state.accountMappings.get('msp-1|a2')).toMatchObject({ isMapped: false });
    // The key is in the key store only: no log line carries it.
    expect(JSON.stringify(deps.state.logs)).not.toContain(KEY);
  });

  it('writes nothing for a rejected key', async () => {
    const { deps } = await setup();
    const before = written(deps);
    await expect(saveConnection(deps, PARTNER, { partnerApiKey: 'pk_unknown' })).rejects.toBeInstanceOf(
      GradientKeyRejectedError,
    );
    expect(written(deps)).toEqual(before);
  });

  it.each([
    ['an invalid partner id', 'not an id!', { partnerApiKey: KEY }],
    ['an empty key', PARTNER, { partnerApiKey: '  ' }],
    ['an unknown rounding policy', PARTNER, { partnerApiKey: KEY, roundingPolicy: 'sometimes' as never }],
  ])('refuses %s before any call', async (_, partnerId, input) => {
    const { deps, g } = await setup();
    await expect(saveConnection(deps, partnerId, input)).rejects.toBeInstanceOf(ValidationError);
    expect(g.calls).toEqual([]);
    expect(deps.state.partners.size).toBe(0);
  });

  it('leaves a new partner as it was when Gradient setup fails half-way', async () => {
    const { deps, g } = await setup();
    g.beforeCall = (route) => {
      if (route === 'createAccounts') throw new GradientServerError('Bad Gateway', 502);
    };
    const before = written(deps);
    await expect(saveConnection(deps, PARTNER, { partnerApiKey: KEY })).rejects.toBeInstanceOf(GradientServerError);
    // The service mapping written before the failure is gone again; no key, no partner.
    expect(written(deps)).toEqual(before);

    // The retry completes what the first attempt started.
    g.beforeCall = () => {};
    await expect(saveConnection(deps, PARTNER, { partnerApiKey: KEY })).resolves.toMatchObject({ status: 'pending' });
  });

  it('keeps a connected partner connected, with its history, on a re-save for the same organization', async () => {
    const { deps } = await setup();
    const first = await saveConnection(deps, PARTNER, { partnerApiKey: KEY, roundingPolicy: 'up' });
    await deps.partners.put({ ...first, status: 'connected', lastAcceptedAt: '2026-11-20T02:00:00.000Z' });
    deps.clock.ms += 86_400_000;

    const again = await saveConnection(deps, PARTNER, { partnerApiKey: KEY });
    expect(again).toMatchObject({
      status: 'connected',
      roundingPolicy: 'up',
      connectedAt: first.connectedAt,
      lastAcceptedAt: '2026-11-20T02:00:00.000Z',
    });
  });

  it("forgets the held values when the new key is another organization's", async () => {
    const { deps } = await setup();
    await saveConnection(deps, PARTNER, { partnerApiKey: KEY });
    await deps.held.put({
      partnerId: PARTNER,
      accountId: 'a1',
      serviceKey: 'seats',
      value: 3,
      period: '2026-11',
      runId: 'r1',
      acceptedAt: '2026-11-20T02:00:00.000Z',
    });
    const other = new FakeGradient();
    other.organization = { organizationId: 'org-2', name: 'Other MSP' };
    deps.gradients.set('other-key', other);

    const saved = await saveConnection(deps, PARTNER, { partnerApiKey: 'other-key' });
    expect(saved).toMatchObject({ status: 'pending', organizationId: 'org-2' });
    expect(deps.state.held.size).toBe(0);
    expect(deps.state.keys.get(PARTNER)).toBe('other-key');
  });
});
