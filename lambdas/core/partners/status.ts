// The partner status rules, each written once: whose sync is on, who may be synced on request, what a
// rejected key does to the record, and when a first accepted value promotes a new connection.
import { ConflictError, NotFoundError } from '../errors';
import { DEFAULT_ROUNDING_POLICY, type Partner, type PartnerStatus, type RunSummary } from '../model';
import type { AppDeps } from '../ports';

const SYNC_ENABLED: ReadonlySet<PartnerStatus> = new Set(['pending', 'connected']);

/** The nightly syncs the partner, a resync or a mapping sync may run: a key was saved and not rejected since. */
export const isSyncEnabled = (status: PartnerStatus): boolean => SYNC_ENABLED.has(status);

/**
 * The one refusal of a request that needs a syncing partner (HTTP 409, code `partner_not_connected`); `why` is
 * the partner's status, or what else is missing (e.g. `no stored key`).
 */
export const notConnected = (partnerId: string, why: string): ConflictError =>
  new ConflictError(
    `partner ${partnerId} is not connected (${why}); save a Partner API key first`,
    'partner_not_connected',
  );

/** Throws `notConnected` unless the partner's sync is on. */
export function requireConnected(partner: Partner): void {
  if (!isSyncEnabled(partner.status)) throw notConnected(partner.partnerId, partner.status);
}

/** What a rejected stored key does to the partner record: it stops syncing until a new key is saved. */
export const authFailedChange = (now: Date): Required<Pick<Partner, 'status' | 'statusReason'>> => ({
  status: 'auth_failed',
  statusReason: `Gradient rejected the stored Partner API key on ${now.toISOString().slice(0, 10)}; save a new key.`,
});

/**
 * The metric and the structured event of a rejected key, whichever path found it, so the auth_failed alarm sees
 * every one. It names the partner, never the key.
 */
export function reportAuthFailed(
  deps: Pick<AppDeps, 'metrics' | 'log'>,
  partnerId: string,
  fields: Record<string, unknown> = {},
): void {
  deps.metrics.add('PartnersAuthFailed', 1);
  deps.log.error('partner key rejected by Gradient', { partnerId, ...fields, event: 'auth_failed' });
}

/** Gradient refused the stored key outside a run (a mapping sync): record and report it. */
export async function markAuthFailed(
  deps: Pick<AppDeps, 'partners' | 'clock' | 'metrics' | 'log'>,
  partner: Partner,
): Promise<void> {
  const now = deps.clock.now();
  await deps.partners.put({ ...partner, ...authFailedChange(now), updatedAt: now.toISOString() });
  reportAuthFailed(deps, partner.partnerId);
}

/** A `pending` partner becomes `connected` with the first run in which Gradient accepted a value. */
export const promoteOnAccepted = (status: PartnerStatus, summary: RunSummary): PartnerStatus =>
  status === 'pending' && summary.accepted > 0 ? 'connected' : status;

/**
 * The partner as the reads know it: its record, or — when the vendor registered accounts for it and it never
 * saved a key — a `not_connected` partner at the default settings. NotFoundError (HTTP 404) when neither.
 */
export async function knownPartner(deps: Pick<AppDeps, 'partners' | 'accounts'>, partnerId: string): Promise<Partner> {
  const partner = await deps.partners.get(partnerId);
  if (partner) return partner;
  const [first] = (await deps.accounts.page(partnerId, 1)).accounts;
  if (!first) throw new NotFoundError(`partner ${partnerId} not found`);
  return { partnerId, status: 'not_connected', roundingPolicy: DEFAULT_ROUNDING_POLICY, updatedAt: first.updatedAt };
}

/** The partner's record, or NotFoundError (HTTP 404): for the writes and the connection's use cases. */
export async function requirePartner(deps: Pick<AppDeps, 'partners'>, partnerId: string): Promise<Partner> {
  const partner = await deps.partners.get(partnerId);
  if (!partner) throw new NotFoundError(`partner ${partnerId} not found`);
  return partner;
}
