// Gradient clients that survive a key rotation another process made. Keys are cached per process (the key store,
// the vendor key reader), so a warm Lambda may hold a key the MSP or the operator has just replaced. When Gradient
// rejects a key, the keys are read again past the caches and the rejected call is tried once more with them;
// only a rejection of the fresh keys is final (auth_failed). This is not a retry of a failure that may pass (that
// is `caller.ts`'s job): it re-reads configuration, at most once per client, and Gradient did nothing on a 401/403.
import { GradientKeyRejectedError } from '../errors';
import type { AppDeps, GradientPort } from '../ports';
import { decorateGradient } from './decorate';

type KeyDeps = Pick<AppDeps, 'keys' | 'gradient' | 'log'>;

/** The partner's stored key; undefined when none is stored. */
export async function storedKeyGradient(deps: KeyDeps, partnerId: string): Promise<GradientPort | undefined> {
  const key = await deps.keys.get(partnerId);
  if (key === undefined) return undefined;
  return refreshingGradient(await deps.gradient(key, { partnerId }), async () => {
    const fresh = await deps.keys.get(partnerId, { fresh: true });
    deps.log.info('Gradient rejected a key: read the keys again, trying once more', {
      partnerId,
      storedKeyChanged: fresh !== undefined && fresh !== key,
    });
    return fresh === undefined ? undefined : deps.gradient(fresh, { freshVendorKey: true, partnerId });
  });
}

/** A key given by the caller (test, save): only the vendor key can be stale here. */
export async function givenKeyGradient(deps: KeyDeps, partnerId: string, partnerApiKey: string): Promise<GradientPort> {
  return refreshingGradient(await deps.gradient(partnerApiKey, { partnerId }), async () => {
    deps.log.info('Gradient rejected a key: read the vendor key again, trying once more', { partnerId });
    return deps.gradient(partnerApiKey, { freshVendorKey: true, partnerId });
  });
}

/**
 * `first`, until a call is rejected: then `refresh` builds a client from fresh keys and that call runs again on it,
 * as the probe. Calls rejected meanwhile wait for the probe: if Gradient took the fresh keys they run again on
 * them, if it rejected them too they fail at once. So a revoked key costs one request more, not one per call.
 */
function refreshingGradient(first: GradientPort, refresh: () => Promise<GradientPort | undefined>): GradientPort {
  let current = first;
  /** The fresh client once Gradient took it, undefined when it did not (or no key was left to read). */
  let verdict: Promise<GradientPort | undefined> | undefined;

  const probe = async <T>(
    fn: (gradient: GradientPort) => Promise<T>,
    used: GradientPort,
    rejection: unknown,
  ): Promise<T> => {
    let settle: (fresh: GradientPort | undefined) => void = () => undefined;
    verdict = new Promise((resolve) => {
      settle = resolve;
    });
    let fresh: GradientPort | undefined;
    try {
      // The very client that was rejected (a factory that reuses clients for the same keys): nothing to try.
      fresh = await refresh().then((built) => (built === used ? undefined : built));
    } finally {
      if (!fresh) settle(undefined);
    }
    if (!fresh) throw rejection;
    try {
      const result = await fn(fresh);
      current = fresh;
      settle(fresh);
      return result;
    } catch (error) {
      // Any answer but a rejection (a 404 not mapped, a 500) means the fresh keys were taken.
      const taken = !(error instanceof GradientKeyRejectedError);
      if (taken) current = fresh;
      settle(taken ? fresh : undefined);
      throw error;
    }
  };

  const run = async <T>(fn: (gradient: GradientPort) => Promise<T>): Promise<T> => {
    const used = current;
    try {
      return await fn(used);
    } catch (error) {
      if (!(error instanceof GradientKeyRejectedError)) throw error;
      if (verdict === undefined) return probe(fn, used, error);
      const fresh = await verdict;
      if (!fresh || fresh === used) throw error;
      return fn(fresh);
    }
  };
  return decorateGradient(first, (_operation, invoke) => run(invoke));
}
