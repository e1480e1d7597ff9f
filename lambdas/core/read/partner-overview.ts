// The partner read model of GET /partners/{id}: the record and the counts of its mappings.
import type { Partner } from '../model';
import { knownPartner } from '../partners';
import type { AppDeps } from '../ports';

export interface PartnerOverview {
  partner: Partner;
  mappings: { accounts: number; mappedAccounts: number; unmappedAccounts: number; services: number };
}

export async function getPartnerOverview(
  deps: Pick<AppDeps, 'partners' | 'accounts' | 'mappings'>,
  partnerId: string,
): Promise<PartnerOverview> {
  const partner = await knownPartner(deps, partnerId);
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
