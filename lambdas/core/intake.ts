// Intake: the vendor's platform feeds the catalog, the managed companies and daily usage snapshots.
// A usage batch is all or nothing: any invalid snapshot rejects the whole batch and nothing is written.
import { ValidationError } from './errors';
import {
  type Account,
  type CatalogService,
  isValidId,
  isValidQuantity,
  isValidUnitScale,
  QUANTITY_RULE,
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
  if (bad.length > 0) throw new ValidationError('invalid service', bad);
  const before = await deps.catalog.get(serviceKey);
  const service: CatalogService = {
    serviceKey,
    name: input.name,
    description: input.description,
    category: input.category,
    subcategory: input.subcategory,
    aggregation: input.aggregation,
    ...(input.unitScale !== undefined && { unitScale: input.unitScale }),
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

/**
 * A batch as the API read it: how many snapshots it held, those whose shape is valid (by index) and the problems
 * already found with the others, so one answer lists every problem of the batch. Other callers pass the
 * snapshots alone.
 */
export interface UsageBatchInput {
  size: number;
  snapshots: IndexedSnapshot[];
  issues: Issue[];
}

/**
 * The checks that need state or time, for snapshots whose shape is valid: the service exists, the date is a real
 * date no later than tomorrow (UTC; a platform east of UTC may already be a day ahead), the quantity is within the
 * bounds the store can hold (`isValidQuantity`), and no (account, service, date) appears twice in one batch (which
 * one should win is ambiguous). The catalog is read once.
 */
async function checkSnapshots(
  deps: Pick<AppDeps, 'catalog' | 'clock'>,
  entries: readonly IndexedSnapshot[],
): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (entries.length === 0) return issues;
  const known = new Set((await deps.catalog.list()).map((s) => s.serviceKey));
  const latest = addDays(todayUtc(deps.clock.now()), 1);
  const seen = new Map<string, number>();
  for (const { index, snapshot: s } of entries) {
    const at = (field: string) => `snapshots.${index}.${field}`;
    if (!isValidId(s.accountId)) issues.push({ path: at('accountId'), message: 'invalid id' });
    if (!isValidId(s.serviceKey)) issues.push({ path: at('serviceKey'), message: 'invalid id' });
    else if (!known.has(s.serviceKey)) {
      issues.push({
        path: at('serviceKey'),
        message: `unknown service "${s.serviceKey}"; PUT /v1/services/{serviceKey} first`,
      });
    }
    if (!isValidIsoDate(s.date)) issues.push({ path: at('date'), message: 'not a real calendar date (YYYY-MM-DD)' });
    else if (s.date > latest)
      issues.push({ path: at('date'), message: `date is in the future (latest accepted: ${latest})` });
    if (!isValidQuantity(s.quantity)) issues.push({ path: at('quantity'), message: `quantity ${QUANTITY_RULE}` });
    const key = `${s.accountId}\u0000${s.serviceKey}\u0000${s.date}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ path: `snapshots.${index}`, message: `same account, service and date as snapshots.${first}` });
    } else seen.set(key, index);
  }
  return issues;
}

/** The snapshot an issue is about (`snapshots.<index>…`), or -1 for the batch as a whole. */
const snapshotIndex = (path: string): number => Number(path.split('.')[1] ?? -1);

/**
 * Writes a batch of snapshots after checking every one of them; the same key overwrites an earlier value. Any
 * problem rejects the whole batch, with every problem listed in snapshot order.
 */
export async function ingestUsage(
  deps: Pick<AppDeps, 'catalog' | 'clock' | 'usage' | 'log'>,
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
  const issues = [...batch.issues, ...(await checkSnapshots(deps, batch.snapshots))];
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
