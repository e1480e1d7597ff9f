// What a partner needs on Gradient's side before counts can land, made so idempotently: every catalog service
// exists as a vendor service, every active account of ours exists (and is named as ours). A connection save, a
// mapping sync and every nightly run go through here.
import { GradientProtocolError } from './errors';
import type { AccountMapping, CatalogService, ServiceMapping } from './model';
import type { AppDeps, GradientPort } from './ports';

export interface AccountReconciliation {
  /** Our accounts Gradient already held before this call. */
  existing: number;
  created: number;
  renamed: number;
  /** Our accounts present in Gradient and mapped to a PSA company (unknown flags count in neither list). */
  mapped: number;
  unmapped: Array<{ accountId: string; name: string }>;
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
  const now = deps.clock.now().toISOString();
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
 * When an account's current mapping in Gradient began: now when we just created it there (re-created after
 * Gradient deleted it, too) or its flag turned mapped since we last looked, else what we knew. Held values from
 * an older mapping are void (decide.ts), so such an account is sent.
 */
function mappedSinceOf(
  before: AccountMapping | undefined,
  isMapped: boolean | undefined,
  created: boolean,
  now: string,
): string | undefined {
  if (created || (isMapped === true && before?.isMapped !== true)) return now;
  return before?.mappedSince;
}

export interface ReconcileOptions {
  /**
   * `all`: every mapping is stored with a new `syncedAt` (a save or *Sync mappings*: the MSP asked us to look).
   * `changed`: only mappings whose name, flag or mapping start moved are written (the nightly: a partner's
   * thousands of accounts are not rewritten each night to say nothing happened), so `syncedAt` is when the
   * mapping last changed or was last confirmed on request.
   */
  confirm: 'all' | 'changed';
}

/** Two stored forms of an account's mapping say the same, whenever they were stamped. */
const sameMapping = (a: AccountMapping, b: AccountMapping): boolean =>
  a.gradientName === b.gradientName &&
  a.isMapped === b.isMapped &&
  a.mappedSince === b.mappedSince &&
  (a.mappedFromUnmapped === true) === (b.mappedFromUnmapped === true);

/**
 * One GET of the partner's Gradient accounts; creates our missing active accounts in bulk (the client splits
 * them into requests), renames changed ones, and stores {gradientName, isMapped, mappedSince} for each of our
 * accounts that exists in Gradient. When it created accounts it reads the list again (Gradient maps an exact PSA
 * name match on creation), so a company added today is billed tonight. Accounts Gradient holds that we do not
 * know are left alone; inactive accounts are not created. Answers the counts and every current mapping (the
 * nightly needs them and need not read them back), written or not (`ReconcileOptions`).
 */
export async function reconcileAccounts(
  deps: Pick<AppDeps, 'accounts' | 'mappings' | 'clock' | 'log'>,
  partnerId: string,
  gradient: GradientPort,
  options: ReconcileOptions = { confirm: 'changed' },
): Promise<{ result: AccountReconciliation; mappings: AccountMapping[] }> {
  const [ours, known] = await Promise.all([deps.accounts.list(partnerId), deps.mappings.listAccounts(partnerId)]);
  ours.sort((a, b) => a.accountId.localeCompare(b.accountId));
  const before = new Map(known.map((m) => [m.accountId, m]));
  let remote = new Map((await gradient.listAccounts()).map((a) => [a.id, a]));
  const now = deps.clock.now().toISOString();

  const missing = ours.filter((a) => a.active && !remote.has(a.accountId));
  if (missing.length > 0) {
    await gradient.createAccounts(
      missing.map((a) => ({
        id: a.accountId,
        name: a.name,
        ...(a.description !== undefined && { description: a.description }),
      })),
    );
  }
  const created = new Set(missing.map((a) => a.accountId));
  const existingBefore = new Set(remote.keys());
  // Fresh flags for what was just created: one extra GET, only when something was.
  if (missing.length > 0) remote = new Map((await gradient.listAccounts()).map((a) => [a.id, a]));

  let existing = 0;
  let renamed = 0;
  const stored: AccountMapping[] = [];
  const writes: AccountMapping[] = [];
  for (const account of ours) {
    const there = remote.get(account.accountId);
    if (there && existingBefore.has(account.accountId)) {
      existing += 1;
      if (there.name !== account.name) {
        await gradient.updateAccount(account.accountId, {
          name: account.name,
          ...(account.description !== undefined && { description: account.description }),
        });
        renamed += 1;
      }
    }
    if (there || account.active) {
      // Created but not listed back (a Gradient that lists late): not mapped yet, as before the re-read.
      const isMapped = there ? there.isMapped : false;
      const known = before.get(account.accountId);
      const mappedSince = mappedSinceOf(known, isMapped, created.has(account.accountId), now);
      // The MSP mapped it: seen unmapped, now mapped; kept for as long as this mapping lasts.
      const fromUnmapped =
        isMapped === true && (known?.isMapped === false || (known?.mappedFromUnmapped === true && known.isMapped));
      const next: AccountMapping = {
        partnerId,
        accountId: account.accountId,
        gradientName: account.name,
        ...(isMapped !== undefined && { isMapped }),
        ...(mappedSince !== undefined && { mappedSince }),
        ...(fromUnmapped && { mappedFromUnmapped: true }),
        syncedAt: now,
      };
      if (known && options.confirm === 'changed' && sameMapping(known, next)) stored.push(known);
      else {
        stored.push(next);
        writes.push(next);
      }
    }
  }
  if (writes.length > 0) await deps.mappings.putAccounts(writes);

  const names = new Map(ours.map((a) => [a.accountId, a.name]));
  // An account whose flag Gradient does not report (older shape) is neither: its counts' 404s will tell.
  const unmapped = stored
    .filter((m) => m.isMapped === false)
    .map((m) => ({ accountId: m.accountId, name: names.get(m.accountId) ?? m.gradientName }));
  const mapped = stored.filter((m) => m.isMapped === true).length;
  const result = { existing, created: missing.length, renamed, mapped, unmapped };
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
