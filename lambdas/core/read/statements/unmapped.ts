// The MSP's to-do list of a period: every account and service Gradient reports unmapped, with the units
// it would bill (the statement's computed lines, before rounding), and for accounts up to three PSA company names
// close to theirs from Gradient's Get Clients route (unless asked not to: the alerts ask only when they need them). The period defaults to the current month (UTC). Advisory
// only: nothing is mapped here.

import { errorText } from '../../calls/caller';
import { storedKeyGradient } from '../../calls/fresh-keys';
import type { Period } from '../../model';
import { periodOf, todayUtc } from '../../period';
import type { AppDeps } from '../../ports';
import { roundTo4 } from '../../rounding';
import { buildStatement, type StatementLine } from './build';
import { loadPeriod } from './statement';
import { suggestCompanies } from './suggest';

export interface UnmappedAccount {
  accountId: string;
  name: string;
  units: Array<{ serviceKey: string; computed: number }>;
  suggestions: string[];
}

export interface UnmappedService {
  serviceKey: string;
  name: string;
  units: number;
  /** Its Gradient id when it is set up there: then Gradient refused it (404) on accounts it reports mapped. */
  gradientServiceId?: string;
}

export interface UnmappedList {
  partnerId: string;
  period: Period;
  accounts: UnmappedAccount[];
  services: UnmappedService[];
}

/**
 * The PSA company names Gradient answers, or undefined when it cannot be asked or does not answer (the route is
 * deprecated): the list is then shown without suggestions, never refused.
 */
async function psaCompanyNames(deps: AppDeps, partnerId: string): Promise<string[] | undefined> {
  try {
    const gradient = await storedKeyGradient(deps, partnerId);
    return gradient ? await gradient.listClientNames() : undefined;
  } catch (error) {
    deps.log.warn('Get Clients failed: unmapped accounts listed without suggestions', {
      partnerId,
      error: errorText(error),
    });
    return undefined;
  }
}

/**
 * Gradient reports an account unmapped when its flag says so, or (flag unknown, older account list) when it
 * answered 404 for a line of a service that is set up. A service is unmapped when it is not set up in Gradient,
 * or when Gradient answered 404 for it on an account it reports mapped.
 */
export async function listUnmapped(
  deps: AppDeps,
  partnerId: string,
  asked?: Period,
  options: { suggestions?: boolean } = {},
): Promise<UnmappedList> {
  const period = asked ?? periodOf(todayUtc(deps.clock.now()));
  const data = await loadPeriod(deps, partnerId, period);
  const { lines } = buildStatement(data);
  const flagOf = (accountId: string) => data.accountStates.get(accountId)?.isMapped;
  const notMapped = (l: StatementLine) => l.outcome === 'not_mapped';
  const serviceSetUp = (serviceKey: string) => data.serviceIds.has(serviceKey);

  const accountIds = new Set(
    [...data.accountStates.entries()].filter(([, s]) => s.isMapped === false).map(([accountId]) => accountId),
  );
  for (const l of lines) {
    if (flagOf(l.accountId) === undefined && notMapped(l) && serviceSetUp(l.serviceKey)) accountIds.add(l.accountId);
  }
  const serviceKeys = new Set(data.catalog.map((s) => s.serviceKey).filter((k) => !serviceSetUp(k)));
  for (const l of lines) if (flagOf(l.accountId) === true && notMapped(l)) serviceKeys.add(l.serviceKey);

  const wantSuggestions = options.suggestions ?? true;
  const companies = wantSuggestions && accountIds.size > 0 ? await psaCompanyNames(deps, partnerId) : undefined;
  const names = new Map(data.accounts.map((a) => [a.accountId, a.name]));
  const accounts = [...accountIds].sort().map((accountId): UnmappedAccount => {
    const name = names.get(accountId) ?? accountId;
    return {
      accountId,
      name,
      units: lines
        .filter((l) => l.accountId === accountId)
        .map((l) => ({ serviceKey: l.serviceKey, computed: l.computed }))
        .sort((a, b) => (a.serviceKey < b.serviceKey ? -1 : 1)),
      suggestions: companies ? suggestCompanies(name, companies) : [],
    };
  });
  const serviceNames = new Map(data.catalog.map((s) => [s.serviceKey, s.name]));
  const services = [...serviceKeys].sort().map(
    (serviceKey): UnmappedService => ({
      serviceKey,
      name: serviceNames.get(serviceKey) ?? serviceKey,
      ...(serviceSetUp(serviceKey) && { gradientServiceId: data.serviceIds.get(serviceKey) as string }),
      units: roundTo4(lines.filter((l) => l.serviceKey === serviceKey).reduce((sum, l) => sum + l.computed, 0)),
    }),
  );
  return { partnerId, period, accounts, services };
}
