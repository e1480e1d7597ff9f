// Reading back a partner's registered accounts, a page at a time (accountId order, a cursor for the next page).

import { knownPartner } from '../partners';
import type { AccountPage, AppDeps } from '../ports';

export const DEFAULT_ACCOUNT_PAGE = 50;
export const MAX_ACCOUNT_PAGE = 200;

export async function listAccounts(
  deps: Pick<AppDeps, 'partners' | 'accounts'>,
  partnerId: string,
  page: { limit?: number; cursor?: string } = {},
): Promise<AccountPage> {
  await knownPartner(deps, partnerId);
  const limit = Math.min(Math.max(1, page.limit ?? DEFAULT_ACCOUNT_PAGE), MAX_ACCOUNT_PAGE);
  return deps.accounts.page(partnerId, limit, page.cursor);
}
