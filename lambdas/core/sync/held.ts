// What Gradient holds for a line, as far as we can rely on it, and why a line it holds is sent again: shared by
// the decision of what to send (decide.ts) and the explanation of each line (explain.ts).
import type { AccountMapping, HeldValue } from '../model';

/** Why a line whose value Gradient already holds is sent anyway (the receipt's detail). */
export const RESEND_DETAIL = { verification: 'verification', full: 'full resync' } as const;

/** What decides whether a line's account can be billed: its mapping flag and since when it is mapped. */
export type AccountState = Pick<AccountMapping, 'isMapped' | 'mappedSince' | 'mappedFromUnmapped'>;

/**
 * The value Gradient holds for a line, or undefined when it holds none we can rely on: never accepted, sent to
 * another Gradient service id, or accepted before the account's current mapping began (re-created or newly mapped).
 */
export function heldFor(held: HeldValue | undefined, serviceId: string, account: AccountState): HeldValue | undefined {
  if (!held) return undefined;
  if (held.serviceId !== undefined && held.serviceId !== serviceId) return undefined;
  return held.mappedSince === account.mappedSince ? held : undefined;
}
