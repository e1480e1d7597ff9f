// Intake: the vendor's platform feeds the catalog, the managed companies and daily usage snapshots.
// A usage batch is all or nothing: any invalid snapshot rejects the whole batch and nothing is written.
import { NotFoundError, ValidationError } from './errors';
import {
  type Account,
  type AverageBasis,
  type CatalogService,
  type IsoDate,
  isValidId,
  isValidQuantity,
  isValidUnitScale,
  MIN_USAGE_DATE,
  NEW_SERVICE_AVERAGE_BASIS,
  QUANTITY_RULE,
  STORED_AVERAGE_BASIS,
  UNIT_SCALE_RULE,
  type UsageSnapshot,
} from './model';
import { addDays, isValidIsoDate, todayUtc } from './period';
import type { AppDeps } from './ports';

export const MAX_SNAPSHOTS_PER_BATCH = 1000;

export interface Issue {
  path: string;
  message: string;
}

/** What the vendor's platform says about a service; Gradient's id and timestamps are ours to keep. */
export type ServiceInput = Omit<CatalogService, 'serviceKey' | 'gradientServiceId' | 'updatedAt'>;

/**
 * The basis an `average` service is computed on: the one asked for; else the one it had (STORED_AVERAGE_BASIS for
 * a service stored before bases existed, so a vendor re-sending its catalog changes no value already billed); else,
 * for a service new or new to `average`, NEW_SERVICE_AVERAGE_BASIS.
 */
const averageBasisFor = (input: ServiceInput, before: CatalogService | undefined): AverageBasis | undefined => {
  if (input.aggregation !== 'average') return undefined;
  if (input.averageBasis !== undefined) return input.averageBasis;
  return before?.aggregation === 'average' ? (before.averageBasis ?? STORED_AVERAGE_BASIS) : NEW_SERVICE_AVERAGE_BASIS;
};

/** Creates or replaces a catalog service; Gradient's id, once known, is kept. */
export async function upsertService(
  deps: Pick<AppDeps, 'catalog' | 'clock'>,
  serviceKey: string,
  input: ServiceInput,
): Promise<{ service: CatalogService; created: boolean }> {
  const bad: Issue[] = [];
  if (!isValidId(serviceKey)) bad.push({ path: 'serviceKey', message: 'invalid id' });
  if (input.unitScale !== undefined && !isValidUnitScale(input.unitScale))
    bad.push({ path: 'unitScale', message: `unitScale ${UNIT_SCALE_RULE}` });
  if (input.averageBasis !== undefined && input.aggregation !== 'average')
    bad.push({ path: 'averageBasis', message: 'averageBasis applies to aggregation "average" only' });
  if (bad.length > 0) throw new ValidationError('invalid service', bad);
  const before = await deps.catalog.get(serviceKey);
  const averageBasis = averageBasisFor(input, before);
  const service: CatalogService = {
    serviceKey,
    name: input.name,
    description: input.description,
    category: input.category,
    subcategory: input.subcategory,
    aggregation: input.aggregation,
    ...(input.unitScale !== undefined && { unitScale: input.unitScale }),
    ...(averageBasis !== undefined && { averageBasis }),
    ...(before?.gradientServiceId !== undefined && { gradientServiceId: before.gradientServiceId }),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.catalog.put(service);
  return { service, created: before === undefined };
}

export interface AccountInput {
  name: string;
  description?: string;
  active?: boolean;
}

/**
 * Creates or replaces a managed company. The partner need not be connected yet: the vendor's platform knows its
 * customers before the MSP connects Gradient. Gradient learns of changes on the next save, mapping sync or night.
 */
export async function upsertAccount(
  deps: Pick<AppDeps, 'accounts' | 'clock'>,
  partnerId: string,
  accountId: string,
  input: AccountInput,
): Promise<{ account: Account; created: boolean }> {
  const bad: Issue[] = [];
  if (!isValidId(partnerId)) bad.push({ path: 'partnerId', message: 'invalid id' });
  if (!isValidId(accountId)) bad.push({ path: 'accountId', message: 'invalid id' });
  if (bad.length > 0) throw new ValidationError('invalid ids', bad);
  const before = await deps.accounts.get(partnerId, accountId);
  const account: Account = {
    partnerId,
    accountId,
    name: input.name,
    ...(input.description !== undefined && { description: input.description }),
    active: input.active ?? true,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.accounts.put(account);
  return { account, created: before === undefined };
}

/** One daily snapshot of a partner's usage, as the vendor's platform sends it (the partner is the batch's). */
export type SnapshotInput = Omit<UsageSnapshot, 'partnerId'>;

/** A snapshot with its place in the batch: every problem is reported by index (`snapshots.<index>.<field>`). */
export interface IndexedSnapshot {
  index: number;
  snapshot: SnapshotInput;
}

/** A snapshot whose shape is invalid, with only its fields that are valid: checked, never written. */
export interface IndexedPartialSnapshot {
  index: number;
  fields: Partial<SnapshotInput>;
}

/**
 * A batch as the API read it: how many snapshots it held, those whose shape is valid (by index), the valid fields
 * of the others and the problems already found with them, so one answer lists every problem of the batch and of
 * each snapshot. Other callers pass the snapshots alone.
 */
export interface UsageBatchInput {
  size: number;
  snapshots: IndexedSnapshot[];
  partial?: IndexedPartialSnapshot[];
  issues: Issue[];
}

/** What the checks of a batch compare against: the catalog and the partner's registered accounts. */
interface Known {
  services: ReadonlySet<string>;
  accounts: ReadonlySet<string>;
}

/**
 * The checks that need state or time, for snapshots whose shape is valid: the account is registered (usage of an
 * account Gradient never hears of could never be pushed), the service exists, the date is a real
 * date from MIN_USAGE_DATE on and no later than tomorrow (UTC; a platform east of UTC may already be a day ahead), the quantity is within the
 * bounds the store can hold (`isValidQuantity`), and no (account, service, date) appears twice in one batch (which
 * one should win is ambiguous). Every problem of a snapshot is listed.
 */
function checkSnapshots(deps: Pick<AppDeps, 'clock'>, known: Known, batch: UsageBatchInput): Issue[] {
  const issues: Issue[] = [];
  const latest = addDays(todayUtc(deps.clock.now()), 1);
  const seen = new Map<string, number>();
  for (const { index, snapshot } of batch.snapshots) {
    issues.push(...checkFields(snapshot, index, known, latest));
    const key = `${snapshot.accountId}\u0000${snapshot.serviceKey}\u0000${snapshot.date}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ path: `snapshots.${index}`, message: `same account, service and date as snapshots.${first}` });
    } else seen.set(key, index);
  }
  // Their missing fields were reported with their shape.
  for (const { index, fields } of batch.partial ?? []) issues.push(...checkFields(fields, index, known, latest, true));
  return issues;
}

/** The problems of one snapshot's fields; with `presentOnly`, fields it lacks are not checked. */
function checkFields(s: Partial<SnapshotInput>, index: number, known: Known, latest: IsoDate, presentOnly = false) {
  const issues: Issue[] = [];
  const at = (field: keyof SnapshotInput) => `snapshots.${index}.${field}`;
  const check = (field: keyof SnapshotInput) => !presentOnly || s[field] !== undefined;
  if (check('accountId')) {
    if (!isValidId(s.accountId)) issues.push({ path: at('accountId'), message: 'invalid id' });
    else if (!known.accounts.has(s.accountId)) {
      issues.push({
        path: at('accountId'),
        message: `account "${s.accountId}" is not registered; PUT /v1/partners/{partnerId}/accounts/{accountId} first`,
      });
    }
  }
  if (check('serviceKey')) {
    if (!isValidId(s.serviceKey)) issues.push({ path: at('serviceKey'), message: 'invalid id' });
    else if (!known.services.has(s.serviceKey)) {
      issues.push({
        path: at('serviceKey'),
        message: `unknown service "${s.serviceKey}"; PUT /v1/services/{serviceKey} first`,
      });
    }
  }
  if (check('date')) {
    if (!isValidIsoDate(s.date)) issues.push({ path: at('date'), message: 'not a real calendar date (YYYY-MM-DD)' });
    else if (s.date < MIN_USAGE_DATE)
      issues.push({ path: at('date'), message: `date is before ${MIN_USAGE_DATE} (the earliest accepted)` });
    else if (s.date > latest)
      issues.push({ path: at('date'), message: `date is in the future (latest accepted: ${latest})` });
  }
  if (check('quantity') && !isValidQuantity(s.quantity))
    issues.push({ path: at('quantity'), message: `quantity ${QUANTITY_RULE}` });
  return issues;
}

/** The snapshot an issue is about (`snapshots.<index>…`), or -1 for the batch as a whole. */
const snapshotIndex = (path: string): number => Number(path.split('.')[1] ?? -1);

/**
 * What a batch is checked against. A partner with neither a registered account nor a connection is unknown
 * (NotFoundError); usage may arrive before the connection is saved, once the partner's accounts are registered.
 */
async function knownFor(deps: Pick<AppDeps, 'catalog' | 'accounts' | 'partners'>, partnerId: string): Promise<Known> {
  const [catalog, accounts] = await Promise.all([deps.catalog.list(), deps.accounts.list(partnerId)]);
  if (accounts.length === 0 && (await deps.partners.get(partnerId)) === undefined) {
    throw new NotFoundError(`partner ${partnerId} not found: register its accounts first`);
  }
  return { services: new Set(catalog.map((c) => c.serviceKey)), accounts: new Set(accounts.map((a) => a.accountId)) };
}

/**
 * Writes a batch of snapshots after checking every one of them; the same key overwrites an earlier value. Any
 * problem rejects the whole batch, with every problem listed in snapshot order.
 */
export async function ingestUsage(
  deps: Pick<AppDeps, 'catalog' | 'accounts' | 'partners' | 'clock' | 'usage' | 'log'>,
  partnerId: string,
  input: readonly SnapshotInput[] | UsageBatchInput,
): Promise<{ written: number }> {
  if (!isValidId(partnerId))
    throw new ValidationError('invalid partnerId', [{ path: 'partnerId', message: 'invalid id' }]);
  const batch: UsageBatchInput =
    'size' in input
      ? input
      : { size: input.length, snapshots: input.map((snapshot, index) => ({ index, snapshot })), issues: [] };
  if (batch.size === 0 || batch.size > MAX_SNAPSHOTS_PER_BATCH) {
    throw new ValidationError(`a batch holds 1 to ${MAX_SNAPSHOTS_PER_BATCH} snapshots`, [
      { path: 'snapshots', message: `1 to ${MAX_SNAPSHOTS_PER_BATCH} snapshots per call` },
    ]);
  }
  const known = await knownFor(deps, partnerId);
  const issues = [...batch.issues, ...checkSnapshots(deps, known, batch)];
  if (issues.length > 0) {
    issues.sort((a, b) => snapshotIndex(a.path) - snapshotIndex(b.path));
    const bad = new Set(issues.map((i) => snapshotIndex(i.path)).filter((i) => i >= 0)).size;
    throw new ValidationError(`${bad} of ${batch.size} snapshots are invalid; nothing was written`, issues);
  }
  const rows: UsageSnapshot[] = batch.snapshots.map(({ snapshot }) => ({ partnerId, ...snapshot }));
  await deps.usage.putSnapshots(rows);
  deps.log.info('usage snapshots written', { partnerId, count: rows.length });
  return { written: rows.length };
}
