// The partner read model of GET /partners/{id} and PATCH of its settings: the record and counts of its
// mappings; the connection itself changes through save and disconnect only.
import { ValidationError } from './errors';
import { CLOSE_DAY_RULE, isValidCloseDay, type Partner, type RoundingPolicy } from './model';
import { requirePartner } from './partners';
import type { AppDeps } from './ports';

/** PATCH /partners/{id}: settings only; the connection itself changes through save and disconnect. */
export async function updatePartnerSettings(
  deps: Pick<AppDeps, 'partners' | 'clock'>,
  partnerId: string,
  patch: { roundingPolicy?: RoundingPolicy; closeDay?: number },
): Promise<Partner> {
  if (patch.closeDay !== undefined && !isValidCloseDay(patch.closeDay)) {
    throw new ValidationError('invalid settings', [{ path: 'closeDay', message: `closeDay ${CLOSE_DAY_RULE}` }]);
  }
  const partner = await requirePartner(deps, partnerId);
  const updated: Partner = {
    ...partner,
    ...(patch.roundingPolicy !== undefined && { roundingPolicy: patch.roundingPolicy }),
    ...(patch.closeDay !== undefined && { closeDay: patch.closeDay }),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.partners.put(updated);
  return updated;
}

export interface PartnerOverview {
  partner: Partner;
  mappings: { accounts: number; mappedAccounts: number; unmappedAccounts: number; services: number };
}

export async function getPartnerOverview(
  deps: Pick<AppDeps, 'partners' | 'mappings'>,
  partnerId: string,
): Promise<PartnerOverview> {
  const partner = await requirePartner(deps, partnerId);
  const [accounts, services] = await Promise.all([
    deps.mappings.listAccounts(partnerId),
    deps.mappings.listServices(partnerId),
  ]);
  // An account whose flag Gradient does not report (older shape) counts as neither.
  return {
    partner,
    mappings: {
      accounts: accounts.length,
      mappedAccounts: accounts.filter((a) => a.isMapped === true).length,
      unmappedAccounts: accounts.filter((a) => a.isMapped === false).length,
      services: services.length,
    },
  };
}
