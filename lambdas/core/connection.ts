// The use cases behind the console's connection buttons (test, save, sync mappings, disconnect) and the two
// Gradient reconciliation steps the nightly sync reuses (ensureServices, reconcileAccounts).
//
// "Nothing half-written" on save: the key is verified first (a rejected key changes nothing), then every
// Gradient-side step runs; all of them are idempotent (services matched by id then name, accounts by id), so a
// retry after a 502/504 completes what an earlier attempt started. Our own durable state, the secret and the
// partner record, is written only after Gradient setup succeeded. Mapping rows written by a failed first save
// are removed again, so a partner that was not connected before a failed save looks exactly as it did.
import {
  GradientError,
  GradientKeyRejectedError,
  GradientProtocolError,
  GradientRateLimitedError,
  GradientTimeoutError,
  GradientUnreachableError,
  NotFoundError,
} from './errors';
import type {
  AccountMapping,
  CatalogService,
  ConnectionFailure,
  Partner,
  RoundingPolicy,
  ServiceMapping,
} from './model';
import { isSyncEnabled, markAuthFailed, notConnected, requireConnected } from './partners';
import type { AppDeps, GradientOrganization, GradientPort } from './ports';

/** Accounts per create request: Gradient documents no bulk limit, small requests stay under any body cap. */
export const ACCOUNT_CHUNK = 100;

export interface ConnectionTestResult {
  ok: boolean;
  organization?: { organizationId: string; name: string; integrationStatus?: string };
  code?: ConnectionFailure;
  /** What a person should do next; never contains the key. */
  reason?: string;
}

export interface AccountReconciliation {
  /** Our accounts Gradient already held before this call. */
  existing: number;
  created: number;
  renamed: number;
  /** Our accounts present in Gradient and mapped to a PSA company. */
  mapped: number;
  unmapped: Array<{ accountId: string; name: string }>;
}

export interface MappingSyncResult extends AccountReconciliation {
  services: number;
}

const isoNow = (deps: Pick<AppDeps, 'clock'>) => deps.clock.now().toISOString();

async function requirePartner(deps: Pick<AppDeps, 'partners'>, partnerId: string): Promise<Partner> {
  const partner = await deps.partners.get(partnerId);
  if (!partner) throw new NotFoundError(`partner ${partnerId} not found`);
  return partner;
}

/** A reason a person can act on, from a Gradient failure. Built from the error class only, never its text. */
export function describeGradientFailure(error: GradientError): { code: ConnectionFailure; reason: string } {
  if (error instanceof GradientKeyRejectedError) {
    return {
      code: 'key_rejected',
      reason:
        'Gradient rejected the Partner API key. Generate a new key for this integration in Gradient Synthesize and paste it again.',
    };
  }
  if (error instanceof GradientRateLimitedError) {
    return { code: 'gradient_rate_limited', reason: 'Gradient is rate limiting requests. Try again in a minute.' };
  }
  if (error instanceof GradientTimeoutError || error instanceof GradientUnreachableError) {
    return { code: 'gradient_unavailable', reason: 'Gradient could not be reached. Try again in a few minutes.' };
  }
  return {
    code: 'gradient_unavailable',
    reason: `Gradient answered with an error${error.status ? ` (${error.status})` : ''}. Try again in a few minutes.`,
  };
}

const organizationView = (org: GradientOrganization): NonNullable<ConnectionTestResult['organization']> => ({
  organizationId: org.organizationId,
  name: org.name,
  ...(org.status !== undefined && { integrationStatus: org.status }),
});

/**
 * Tests a key without storing anything: the given one, or the partner's stored one. Gradient failures are an
 * answer (`ok: false` with a reason), not an error; only an unknown partner without a key in the body is.
 */
export async function testConnection(
  deps: AppDeps,
  partnerId: string,
  partnerApiKey?: string,
): Promise<ConnectionTestResult> {
  let key = partnerApiKey;
  if (key === undefined) {
    await requirePartner(deps, partnerId);
    key = await deps.keys.get(partnerId);
    if (key === undefined) {
      return {
        ok: false,
        code: 'no_key',
        reason: 'No Partner API key is stored for this partner. Paste the key from Gradient Synthesize and save.',
      };
    }
  }
  try {
    const gradient = await deps.gradient(key);
    const org = await gradient.getOrganization();
    deps.log.info('connection test succeeded', { partnerId, organizationId: org.organizationId });
    return { ok: true, organization: organizationView(org) };
  } catch (error) {
    if (!(error instanceof GradientError)) throw error;
    const failure = describeGradientFailure(error);
    deps.log.warn('connection test failed', { partnerId, code: failure.code, error: error.name });
    return { ok: false, ...failure };
  }
}

/**
 * Every catalog service exists as a Gradient vendor service: matched by the stored id, else by exact name,
 * else created. The id is stored on the catalog service and as a ServiceMapping of the partner.
 */
export async function ensureServices(
  deps: Pick<AppDeps, 'catalog' | 'mappings' | 'clock' | 'log'>,
  partnerId: string,
  gradient: GradientPort,
): Promise<ServiceMapping[]> {
  const catalog = (await deps.catalog.list()).sort((a, b) => a.serviceKey.localeCompare(b.serviceKey));
  if (catalog.length === 0) return [];
  let skus = await gradient.listVendorServices();
  const now = isoNow(deps);
  const mappings: ServiceMapping[] = [];
  for (const service of catalog) {
    let sku =
      (service.gradientServiceId && skus.find((s) => s.id === service.gradientServiceId)) ||
      skus.find((s) => s.name === service.name);
    if (!sku) {
      skus = await gradient.createVendorService({
        name: service.name,
        description: service.description,
        category: service.category,
        subcategory: service.subcategory,
      });
      sku = skus.find((s) => s.name === service.name);
      if (!sku) throw new GradientProtocolError(`Gradient did not list service "${service.name}" after creating it`);
      deps.log.info('created Gradient vendor service', { serviceKey: service.serviceKey, gradientServiceId: sku.id });
    }
    if (service.gradientServiceId !== sku.id) {
      const updated: CatalogService = { ...service, gradientServiceId: sku.id };
      await deps.catalog.put(updated);
    }
    mappings.push({ partnerId, serviceKey: service.serviceKey, gradientServiceId: sku.id, syncedAt: now });
  }
  await deps.mappings.putServices(mappings);
  return mappings;
}

/**
 * One GET of the partner's Gradient accounts; creates our missing active accounts in bulk (chunked), renames
 * changed ones, and stores {gradientName, isMapped} for each of our accounts that exists in Gradient.
 * Accounts Gradient holds that we do not know are left alone; inactive accounts are not created.
 */
export async function reconcileAccounts(
  deps: Pick<AppDeps, 'accounts' | 'mappings' | 'clock' | 'log'>,
  partnerId: string,
  gradient: GradientPort,
): Promise<AccountReconciliation> {
  return (await reconcileAccountMappings(deps, partnerId, gradient)).result;
}

/** The same, also answering the mappings it stored (the nightly needs them and need not read them back). */
export async function reconcileAccountMappings(
  deps: Pick<AppDeps, 'accounts' | 'mappings' | 'clock' | 'log'>,
  partnerId: string,
  gradient: GradientPort,
): Promise<{ result: AccountReconciliation; mappings: AccountMapping[] }> {
  const ours = (await deps.accounts.list(partnerId)).sort((a, b) => a.accountId.localeCompare(b.accountId));
  const remote = new Map((await gradient.listAccounts()).map((a) => [a.id, a]));
  const now = isoNow(deps);

  const missing = ours.filter((a) => a.active && !remote.has(a.accountId));
  for (let i = 0; i < missing.length; i += ACCOUNT_CHUNK) {
    await gradient.createAccounts(
      missing.slice(i, i + ACCOUNT_CHUNK).map((a) => ({
        id: a.accountId,
        name: a.name,
        ...(a.description !== undefined && { description: a.description }),
      })),
    );
  }

  let existing = 0;
  let renamed = 0;
  const stored: AccountMapping[] = [];
  for (const account of ours) {
    const there = remote.get(account.accountId);
    if (there) {
      existing += 1;
      if (there.name !== account.name) {
        await gradient.updateAccount(account.accountId, {
          name: account.name,
          ...(account.description !== undefined && { description: account.description }),
        });
        renamed += 1;
      }
      stored.push({
        partnerId,
        accountId: account.accountId,
        gradientName: account.name,
        isMapped: there.isMapped,
        syncedAt: now,
      });
    } else if (account.active) {
      stored.push({
        partnerId,
        accountId: account.accountId,
        gradientName: account.name,
        isMapped: false,
        syncedAt: now,
      });
    }
  }
  await deps.mappings.putAccounts(stored);

  const names = new Map(ours.map((a) => [a.accountId, a.name]));
  const unmapped = stored
    .filter((m) => !m.isMapped)
    .map((m) => ({ accountId: m.accountId, name: names.get(m.accountId) ?? m.gradientName }));
  const result = { existing, created: missing.length, renamed, mapped: stored.length - unmapped.length, unmapped };
  deps.log.info('reconciled Gradient accounts', {
    partnerId,
    existing,
    created: result.created,
    renamed,
    mapped: result.mapped,
    unmapped: unmapped.length,
  });
  return { result, mappings: stored };
}

export interface SaveConnectionInput {
  partnerApiKey: string;
  roundingPolicy?: RoundingPolicy;
}

/**
 * Save: verify → Gradient setup (status pending, services, accounts) → secret → partner record.
 * A rejected key throws GradientKeyRejectedError before anything is written.
 */
export async function saveConnection(deps: AppDeps, partnerId: string, input: SaveConnectionInput): Promise<Partner> {
  const before = await deps.partners.get(partnerId);
  const gradient = await deps.gradient(input.partnerApiKey);
  const org = await gradient.getOrganization();
  const wasConnected = before !== undefined && isSyncEnabled(before.status);
  // Mappings exist from an earlier connection unless the partner is new or disconnected (which forgot them).
  const hadMappings = before !== undefined && before.status !== 'disconnected';

  try {
    // Never downgrade an integration Gradient already considers active (it sets `active` itself after usage).
    if (org.status !== 'active') await gradient.updateIntegrationStatus('pending');
    await ensureServices(deps, partnerId, gradient);
    await reconcileAccounts(deps, partnerId, gradient);
  } catch (error) {
    if (!hadMappings) await forgetMappings(deps, partnerId, 'save failed during Gradient setup');
    deps.log.warn('save failed during Gradient setup', { partnerId, error: errorName(error) });
    throw error;
  }

  const sameOrganization = before?.organizationId !== undefined && before.organizationId === org.organizationId;
  const now = isoNow(deps);
  const partner: Partner = {
    partnerId,
    // A re-save of a syncing partner for the same organization keeps its `connected` state.
    status: before?.status === 'connected' && sameOrganization ? 'connected' : 'pending',
    roundingPolicy: input.roundingPolicy ?? before?.roundingPolicy ?? 'none',
    organizationId: org.organizationId,
    organizationName: org.name,
    connectedAt: wasConnected && sameOrganization && before?.connectedAt ? before.connectedAt : now,
    updatedAt: now,
    ...(before?.lastRun && { lastRun: before.lastRun }),
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
  if (before?.organizationId !== undefined && !sameOrganization) await deps.accepted.deleteAll(partnerId);

  deps.log.info('partner connection saved', { partnerId, organizationId: org.organizationId, status: partner.status });
  return partner;
}

async function forgetMappings(deps: AppDeps, partnerId: string, why: string): Promise<void> {
  try {
    await deps.mappings.deleteAll(partnerId);
  } catch (error) {
    deps.log.error('could not remove mappings', { partnerId, why, error: errorName(error) });
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);

async function connectedGradient(
  deps: AppDeps,
  partnerId: string,
): Promise<{ partner: Partner; gradient: GradientPort }> {
  const partner = await requirePartner(deps, partnerId);
  requireConnected(partner);
  const key = await deps.keys.get(partnerId);
  if (key === undefined) throw notConnected(partnerId, 'no stored key');
  return { partner, gradient: await deps.gradient(key) };
}

/** Sync mappings: services and accounts reconciled, `isMapped` pulled and stored. */
export async function syncMappings(deps: AppDeps, partnerId: string): Promise<MappingSyncResult> {
  const { partner, gradient } = await connectedGradient(deps, partnerId);
  try {
    const services = await ensureServices(deps, partnerId, gradient);
    const accounts = await reconcileAccounts(deps, partnerId, gradient);
    return { ...accounts, services: services.length };
  } catch (error) {
    if (error instanceof GradientKeyRejectedError) await markAuthFailed(deps, partner);
    throw error;
  }
}

export interface DisconnectResult {
  /** false when the partner was already disconnected (nothing done). */
  changed: boolean;
  /** Set when Gradient's status could not be set to `inactive`; the disconnect happened anyway. */
  gradientWarning?: { code: ConnectionFailure; message: string };
}

/**
 * Disconnect: Gradient status `inactive` (best effort), then the key, the mappings and the accepted values are
 * forgotten; the partner record (and run history) stays, status `disconnected`. The record is written last, so a
 * disconnect interrupted midway is completed by the next call.
 */
export async function disconnect(deps: AppDeps, partnerId: string): Promise<DisconnectResult> {
  const partner = await requirePartner(deps, partnerId);
  if (partner.status === 'disconnected') return { changed: false };

  let gradientWarning: DisconnectResult['gradientWarning'];
  const key = await deps.keys.get(partnerId);
  if (key !== undefined) {
    try {
      await (await deps.gradient(key)).updateIntegrationStatus('inactive');
    } catch (error) {
      if (!(error instanceof GradientError)) throw error;
      const failure = describeGradientFailure(error);
      gradientWarning = {
        code: failure.code,
        message: `Disconnected here, but Gradient's integration status could not be set to inactive: ${failure.reason}`,
      };
      deps.log.warn('could not set Gradient status inactive on disconnect', { partnerId, error: error.name });
    }
  }

  await deps.keys.delete(partnerId);
  await deps.mappings.deleteAll(partnerId);
  await deps.accepted.deleteAll(partnerId);
  const now = isoNow(deps);
  const { statusReason: _, ...rest } = partner;
  await deps.partners.put({ ...rest, status: 'disconnected', updatedAt: now });
  deps.log.info('partner disconnected', { partnerId, gradientStatusUpdated: gradientWarning === undefined });
  return { changed: true, ...(gradientWarning && { gradientWarning }) };
}

/** PATCH /partners/{id}: settings only; the connection itself changes through save and disconnect. */
export async function updatePartnerSettings(
  deps: AppDeps,
  partnerId: string,
  patch: { roundingPolicy?: RoundingPolicy },
): Promise<Partner> {
  const partner = await requirePartner(deps, partnerId);
  const updated: Partner = {
    ...partner,
    ...(patch.roundingPolicy !== undefined && { roundingPolicy: patch.roundingPolicy }),
    updatedAt: isoNow(deps),
  };
  await deps.partners.put(updated);
  return updated;
}

export interface PartnerOverview {
  partner: Partner;
  mappings: { accounts: number; mappedAccounts: number; unmappedAccounts: number; services: number };
}

export async function getPartnerOverview(deps: AppDeps, partnerId: string): Promise<PartnerOverview> {
  const partner = await requirePartner(deps, partnerId);
  const [accounts, services] = await Promise.all([
    deps.mappings.listAccounts(partnerId),
    deps.mappings.listServices(partnerId),
  ]);
  const mapped = accounts.filter((a) => a.isMapped).length;
  return {
    partner,
    mappings: {
      accounts: accounts.length,
      mappedAccounts: mapped,
      unmappedAccounts: accounts.length - mapped,
      services: services.length,
    },
  };
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

export { requirePartner };
