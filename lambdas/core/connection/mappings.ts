// The console's mapping views and "Sync mappings": services and accounts reconciled with Gradient on request,
// with the stored key of a partner whose sync is on.

import { storedKeyGradient } from '../calls/fresh-keys';
import { GradientKeyRejectedError } from '../errors';
import { type AccountReconciliation, ensureServices, reconcileAccounts } from '../gradient-setup';
import type { AccountMapping, Partner, ServiceMapping } from '../model';
import { markAuthFailed, notConnected, requireConnected, requirePartner } from '../partners';
import type { AppDeps, GradientPort } from '../ports';

export interface MappingSyncResult extends AccountReconciliation {
  services: number;
}

async function connectedGradient(
  deps: AppDeps,
  partnerId: string,
): Promise<{ partner: Partner; gradient: GradientPort }> {
  const partner = await requirePartner(deps, partnerId);
  requireConnected(partner);
  const gradient = await storedKeyGradient(deps, partnerId);
  if (gradient === undefined) throw notConnected(partnerId, 'no stored key');
  return { partner, gradient };
}

/** The fleet's count of a partner's unmapped accounts, stored on its record (read again: it may have changed). */
async function recordUnmapped(deps: AppDeps, partnerId: string, unmappedAccounts: number): Promise<void> {
  const partner = await deps.partners.get(partnerId);
  if (!partner || partner.unmappedAccounts === unmappedAccounts) return;
  await deps.partners.put({ ...partner, unmappedAccounts, updatedAt: deps.clock.now().toISOString() });
}

/** Sync mappings: services and accounts reconciled, `isMapped` pulled and stored. */
export async function syncMappings(deps: AppDeps, partnerId: string): Promise<MappingSyncResult> {
  const { partner, gradient } = await connectedGradient(deps, partnerId);
  try {
    const services = await ensureServices(deps, partnerId, gradient);
    const { result } = await reconcileAccounts(deps, partnerId, gradient, { confirm: 'all' });
    await recordUnmapped(deps, partnerId, result.unmapped.length);
    return { ...result, services: services.length };
  } catch (error) {
    if (error instanceof GradientKeyRejectedError) await markAuthFailed(deps, partner);
    throw error;
  }
}

export async function listMappings(
  deps: AppDeps,
  partnerId: string,
): Promise<{ accounts: AccountMapping[]; services: ServiceMapping[] }> {
  await requirePartner(deps, partnerId);
  const [accounts, services] = await Promise.all([
    deps.mappings.listAccounts(partnerId),
    deps.mappings.listServices(partnerId),
  ]);
  return {
    accounts: accounts.sort((a, b) => a.accountId.localeCompare(b.accountId)),
    services: services.sort((a, b) => a.serviceKey.localeCompare(b.serviceKey)),
  };
}
