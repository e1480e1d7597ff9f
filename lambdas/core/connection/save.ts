// Saving a partner's connection (the console's "Save"): a verified key, Gradient set up, then our state.
//
// "Nothing half-written" on save: everything the save will need (the partner id, the secret name it will write,
// the rounding policy) is checked before its first call, then the key is verified (a rejected key changes nothing), then every
// Gradient-side step runs; all of them are idempotent (services matched by id then name, accounts by id), so a
// retry after a 502/504 completes what an earlier attempt started. Our own durable state, the secret and the
// partner record, is written only after Gradient setup succeeded. Mapping rows written by a failed first save
// are removed again, so a partner that was not connected before a failed save looks exactly as it did.
import { givenKeyGradient } from '../calls/fresh-keys';
import { ValidationError } from '../errors';
import { ensureServices, reconcileAccounts } from '../gradient-setup';
import { DEFAULT_ROUNDING_POLICY, isValidId, type Partner, ROUNDING_POLICIES, type RoundingPolicy } from '../model';
import { isSyncEnabled } from '../partners';
import type { AppDeps } from '../ports';

export interface SaveConnectionInput {
  partnerApiKey: string;
  roundingPolicy?: RoundingPolicy;
}

/**
 * Save: verify → Gradient setup (status pending, services, accounts) → secret → partner record.
 * A rejected key throws GradientKeyRejectedError before anything is written.
 */
export async function saveConnection(deps: AppDeps, partnerId: string, input: SaveConnectionInput): Promise<Partner> {
  assertSavable(deps, partnerId, input);
  const before = await deps.partners.get(partnerId);
  const gradient = await givenKeyGradient(deps, partnerId, input.partnerApiKey);
  const org = await gradient.getOrganization();
  const wasConnected = before !== undefined && isSyncEnabled(before.status);
  // Mappings exist from an earlier connection unless the partner is new or disconnected (which forgot them).
  const hadMappings = before !== undefined && before.status !== 'disconnected';

  let unmappedAccounts: number;
  try {
    // Never downgrade an integration Gradient already considers active (it sets `active` itself after usage).
    if (org.status !== 'active') await gradient.updateIntegrationStatus('pending');
    await ensureServices(deps, partnerId, gradient);
    unmappedAccounts = (await reconcileAccounts(deps, partnerId, gradient, { confirm: 'all' })).result.unmapped.length;
  } catch (error) {
    if (!hadMappings) await forgetMappings(deps, partnerId, 'save failed during Gradient setup');
    deps.log.warn('save failed during Gradient setup', { partnerId, error: errorName(error) });
    throw error;
  }

  const sameOrganization = before?.organizationId !== undefined && before.organizationId === org.organizationId;
  const now = deps.clock.now().toISOString();
  const partner: Partner = {
    partnerId,
    // A re-save of a syncing partner for the same organization keeps its `connected` state.
    status: before?.status === 'connected' && sameOrganization ? 'connected' : 'pending',
    roundingPolicy: input.roundingPolicy ?? before?.roundingPolicy ?? DEFAULT_ROUNDING_POLICY,
    organizationId: org.organizationId,
    organizationName: org.name,
    connectedAt: wasConnected && sameOrganization && before?.connectedAt ? before.connectedAt : now,
    updatedAt: now,
    ...(before?.lastRun && { lastRun: before.lastRun }),
    ...(before?.lastAcceptedAt && { lastAcceptedAt: before.lastAcceptedAt }),
    unmappedAccounts,
  };

  await deps.keys.put(partnerId, input.partnerApiKey);
  try {
    await deps.partners.put(partner);
  } catch (error) {
    // Without a partner record the new secret would be an orphan; an earlier connection keeps its own key.
    if (!before) await deps.keys.delete(partnerId).catch(() => undefined);
    throw error;
  }
  // A key of another organization: Gradient never received our values there, so every line is sent again.
  if (before?.organizationId !== undefined && !sameOrganization) await deps.held.deleteAll(partnerId);

  deps.log.info('partner connection saved', { partnerId, organizationId: org.organizationId, status: partner.status });
  return partner;
}

/** The checks that need no call: a save that would fail later on its input fails here, before any side effect. */
function assertSavable(deps: Pick<AppDeps, 'keys'>, partnerId: string, input: SaveConnectionInput): void {
  if (!isValidId(partnerId))
    throw new ValidationError('invalid partnerId', [{ path: 'partnerId', message: 'invalid id' }]);
  if (input.roundingPolicy !== undefined && !ROUNDING_POLICIES.includes(input.roundingPolicy)) {
    throw new ValidationError('invalid roundingPolicy', [
      { path: 'roundingPolicy', message: `must be one of ${ROUNDING_POLICIES.join(', ')}` },
    ]);
  }
  if (typeof input.partnerApiKey !== 'string' || input.partnerApiKey.trim() === '') {
    throw new ValidationError('missing partnerApiKey', [{ path: 'partnerApiKey', message: 'must not be empty' }]);
  }
  deps.keys.assertStorable(partnerId);
}

async function forgetMappings(deps: AppDeps, partnerId: string, why: string): Promise<void> {
  try {
    await deps.mappings.deleteAll(partnerId);
  } catch (error) {
    deps.log.error('could not remove mappings', { partnerId, why, error: errorName(error) });
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
