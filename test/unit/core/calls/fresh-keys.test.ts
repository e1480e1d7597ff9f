// A Gradient client that reads the keys again, once, when Gradient rejects the cached ones.
import { givenKeyGradient, storedKeyGradient } from '../../../../lambdas/core/calls/fresh-keys';
import { GradientKeyRejectedError, GradientServerError } from '../../../../lambdas/core/errors';
import type { GradientFactory, KeyReadOptions, PartnerKeyStore } from '../../../../lambdas/core/ports';
import { FakeGradient, memoryDeps } from '../../../support/memory-deps';

const rejecting = () => {
  const g = new FakeGradient();
  g.beforeCall = () => {
    throw new GradientKeyRejectedError('Unauthorized', 401);
  };
  return g;
};

/** A key store whose cache holds `cached` while the secret already holds `stored`. */
function staleKeys(cached: string | undefined, stored: string | undefined) {
  const reads: KeyReadOptions[] = [];
  const keys: PartnerKeyStore = {
    put: async () => undefined,
    assertStorable: () => undefined,
    delete: async () => undefined,
    get: async (_partnerId, options = {}) => {
      reads.push(options);
      return options.fresh ? stored : cached;
    },
  };
  return { keys, reads };
}

/** Gradient that accepts `goodKey` with the fresh vendor key only when `vendorRotated`, every call recorded. */
function gradientFactory(goodKey: string, opts: { vendorRotated?: boolean } = {}) {
  const built: Array<{ key: string; freshVendorKey: boolean }> = [];
  const good = new FakeGradient();
  const factory: GradientFactory = (key, options = {}) => {
    const freshVendorKey = options.freshVendorKey === true;
    built.push({ key, freshVendorKey });
    return key === goodKey && (freshVendorKey || !opts.vendorRotated) ? good : rejecting();
  };
  return { factory, built, good };
}

describe('storedKeyGradient', () => {
  it('reads both keys past their caches when the cached partner key is rejected, and retries the call', async () => {
    const { keys, reads } = staleKeys('old', 'new');
    const { factory, built, good } = gradientFactory('new');
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    expect(await gradient!.getOrganization()).toEqual(good.organization);
    expect(reads).toEqual([{}, { fresh: true }]);
    expect(built).toEqual([
      { key: 'old', freshVendorKey: false },
      { key: 'new', freshVendorKey: true },
    ]);
    // Later calls go to the fresh client straight away.
    await gradient!.listAccounts();
    expect(good.calls).toEqual(['getOrganization', 'listAccounts']);
  });

  it('recovers from a rotated vendor key with the same partner key', async () => {
    const { keys } = staleKeys('pk', 'pk');
    const { factory, good } = gradientFactory('pk', { vendorRotated: true });
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    await gradient!.updateIntegrationStatus('pending');
    expect(good.status).toBe('pending');
  });

  it('refreshes once for every call rejected at the same time', async () => {
    const { keys, reads } = staleKeys('old', 'new');
    const { factory, good } = gradientFactory('new');
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    await Promise.all([gradient!.listAccounts(), gradient!.listVendorServices(), gradient!.getOrganization()]);
    expect(reads.filter((r) => r.fresh)).toHaveLength(1);
    expect(good.calls.sort()).toEqual(['getOrganization', 'listAccounts', 'listVendorServices']);
  });

  it('gives up when the fresh keys are rejected too: one more try, no further reads', async () => {
    const { keys, reads } = staleKeys('revoked', 'revoked');
    const { factory, built } = gradientFactory('another');
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    await expect(gradient!.getOrganization()).rejects.toBeInstanceOf(GradientKeyRejectedError);
    await expect(gradient!.getOrganization()).rejects.toBeInstanceOf(GradientKeyRejectedError);
    expect(reads.filter((r) => r.fresh)).toHaveLength(1);
    expect(built).toHaveLength(2);
  });

  it('costs one request more for a revoked key, however many calls were rejected at the same time', async () => {
    const { keys } = staleKeys('revoked', 'revoked');
    const requests: string[] = [];
    const factory: GradientFactory = () => {
      const g = rejecting();
      const reject = g.beforeCall;
      g.beforeCall = (route) => {
        requests.push(route);
        reject(route);
      };
      return g;
    };
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    const results = await Promise.allSettled([
      gradient!.setUnitCount('s', 'a', 1, { noBuild: true }),
      gradient!.setUnitCount('s', 'b', 1, { noBuild: true }),
      gradient!.setUnitCount('s', 'c', 1, { noBuild: true }),
    ]);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof GradientKeyRejectedError)).toBe(true);
    expect(requests).toHaveLength(3 + 1);
  });

  it('takes the fresh keys as good when the probe gets any answer but a rejection (e.g. not mapped)', async () => {
    const { keys } = staleKeys('old', 'new');
    const { factory, good } = gradientFactory('new');
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    const notMapped = gradient!.setUnitCount('s', 'unmapped', 1, { noBuild: true });
    await expect(notMapped).rejects.toMatchObject({ name: 'GradientNotMappedError' });
    await gradient!.listAccounts();
    expect(good.calls).toEqual(['setUnitCount', 'listAccounts']);
  });

  it('rethrows the rejection when the secret is gone meanwhile (a disconnect)', async () => {
    const { keys } = staleKeys('old', undefined);
    const { factory, built } = gradientFactory('new');
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1');
    await expect(gradient!.listAccounts()).rejects.toBeInstanceOf(GradientKeyRejectedError);
    expect(built).toHaveLength(1);
  });

  it('reads nothing again for failures other than a rejected key', async () => {
    const { keys, reads } = staleKeys('pk', 'pk');
    const failing = new FakeGradient();
    failing.beforeCall = () => {
      throw new GradientServerError('boom', 500);
    };
    const gradient = await storedKeyGradient({ ...memoryDeps(), keys, gradient: () => failing }, 'msp-1');
    await expect(gradient!.getOrganization()).rejects.toBeInstanceOf(GradientServerError);
    expect(reads).toEqual([{}]);
    expect(failing.calls).toEqual(['getOrganization']);
  });

  it('answers undefined when no key is stored', async () => {
    const { keys } = staleKeys(undefined, undefined);
    expect(await storedKeyGradient({ ...memoryDeps(), keys }, 'msp-1')).toBeUndefined();
  });
});

describe('givenKeyGradient', () => {
  it('reads the vendor key again for a rejected given key, never the stored partner key', async () => {
    const { keys, reads } = staleKeys('stored', 'stored');
    const { factory, built, good } = gradientFactory('given', { vendorRotated: true });
    const gradient = await givenKeyGradient({ ...memoryDeps(), keys, gradient: factory }, 'msp-1', 'given');
    expect(await gradient.getOrganization()).toEqual(good.organization);
    expect(reads).toEqual([]);
    expect(built).toEqual([
      { key: 'given', freshVendorKey: false },
      { key: 'given', freshVendorKey: true },
    ]);
  });
});
