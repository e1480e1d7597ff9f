// The bench workload: N partners × M accounts × the demo's 4 services, generated from a seed, and the seeding of
// the local stack through the real use cases and repositories. Everything here is off the measured path.
import { saveConnection } from '../lambdas/core/connection';
import { upsertAccount, upsertService } from '../lambdas/core/intake';
import {
  type ComputedLine,
  NEW_SERVICE_AVERAGE_BASIS,
  type RoundingPolicy,
  type UsageSnapshot,
} from '../lambdas/core/model';
import { computeLines, type ServiceRule } from '../lambdas/core/usage';
import { DEMO_SERVICES } from '../local/demo';
import { seededRandom } from '../local/seeded-random';
import type { LocalStack } from '../local/stack';
import type { EmulatorHandle } from './remote-emulator';

/** The period the nights sync; the first night computes as of the 15th, the next night as of the 16th. */
export const PERIOD = '2026-11';
export const FIRST_TICK = new Date('2026-11-16T02:00:00.000Z');
export const NEXT_TICK = new Date('2026-11-17T02:00:00.000Z');
export const FIRST_AS_OF = '2026-11-15';
export const NEXT_AS_OF = '2026-11-16';
/** Days of the period that carry snapshots before the first night (states repeat their value). */
const SNAPSHOT_DAYS = ['01', '08', '15'];
const ROUNDINGS: RoundingPolicy[] = ['none', 'up', 'nearest'];

export interface BenchPartner {
  partnerId: string;
  organizationName: string;
  partnerApiKey: string;
  roundingPolicy: RoundingPolicy;
  accounts: Array<{ accountId: string; name: string }>;
}

export interface Workload {
  partners: BenchPartner[];
  /** Snapshots per partner before the first night. */
  snapshots: Map<string, UsageSnapshot[]>;
  /** Snapshots dated on the 16th written between the nights: ~`changedShare` of all lines get one. */
  changes: Map<string, UsageSnapshot[]>;
  lines: number;
}

export const SERVICE_RULES: ReadonlyMap<string, ServiceRule> = new Map(
  DEMO_SERVICES.map((s) => [
    s.serviceKey,
    {
      aggregation: s.aggregation,
      ...('unitScale' in s && { unitScale: s.unitScale }),
      // The basis upsertService gives the new services the bench creates.
      ...(s.aggregation === 'average' && { averageBasis: NEW_SERVICE_AVERAGE_BASIS }),
    },
  ]),
);

export function generateWorkload(opts: {
  partners: number;
  accounts: number;
  changedShare: number;
  seed: number;
}): Workload {
  const random = seededRandom(opts.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const partners: BenchPartner[] = [];
  const snapshots = new Map<string, UsageSnapshot[]>();
  const changes = new Map<string, UsageSnapshot[]>();
  // Every 1/changedShare-th line (counted across all partners) changes between the nights.
  const every = Math.max(1, Math.round(1 / opts.changedShare));
  let lineIndex = 0;
  for (let p = 0; p < opts.partners; p++) {
    const partnerId = `bench-msp-${String(p + 1).padStart(3, '0')}`;
    const accounts = Array.from({ length: opts.accounts }, (_, a) => ({
      accountId: `${partnerId}-c${String(a + 1).padStart(4, '0')}`,
      name: `Company ${p + 1}-${a + 1}`,
    }));
    partners.push({
      partnerId,
      organizationName: `Bench MSP ${p + 1}`,
      partnerApiKey: `bench-partner-key-${p + 1}-${Math.floor(random() * 1e12).toString(36)}`,
      roundingPolicy: ROUNDINGS[p % ROUNDINGS.length]!,
      accounts,
    });
    const before: UsageSnapshot[] = [];
    const after: UsageSnapshot[] = [];
    for (const { accountId } of accounts) {
      for (const service of DEMO_SERVICES) {
        const base = { partnerId, accountId, serviceKey: service.serviceKey };
        const changed = lineIndex++ % every === 0;
        if (service.aggregation === 'sum') {
          for (const day of ['03', '09']) before.push({ ...base, date: `${PERIOD}-${day}`, quantity: int(1, 3) });
          if (changed) after.push({ ...base, date: `${PERIOD}-16`, quantity: int(1, 3) });
          continue;
        }
        const scale = 'unitScale' in service ? service.unitScale : 1;
        const quantity = scale === 1 ? int(5, 65) : int(2, 200) * scale + int(0, 999_999);
        for (const day of SNAPSHOT_DAYS) before.push({ ...base, date: `${PERIOD}-${day}`, quantity });
        // Growth on the 16th: raises the average, the peak and the last value alike.
        if (changed) after.push({ ...base, date: `${PERIOD}-16`, quantity: quantity + int(10, 30) * scale });
      }
    }
    snapshots.set(partnerId, before);
    changes.set(partnerId, after);
  }
  return { partners, snapshots, changes, lines: lineIndex };
}

/** The lines of one partner as the worker computes them, from the in-memory snapshots. */
export function expectedLines(partner: BenchPartner, snapshots: UsageSnapshot[], asOf: string): ComputedLine[] {
  const byLine = new Map<string, { accountId: string; serviceKey: string; snapshots: UsageSnapshot[] }>();
  for (const s of snapshots) {
    const key = `${s.accountId}#${s.serviceKey}`;
    let line = byLine.get(key);
    if (!line) {
      line = { accountId: s.accountId, serviceKey: s.serviceKey, snapshots: [] };
      byLine.set(key, line);
    }
    line.snapshots.push(s);
  }
  return computeLines({
    period: PERIOD,
    asOf,
    services: SERVICE_RULES,
    lines: [...byLine.values()],
    rounding: partner.roundingPolicy,
  });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export interface SeedTimings {
  catalogAndAccountsMs: number;
  connectionsMs: number;
  usageMs: number;
  usageGroups: number;
}

/**
 * Seeds through the real code: catalog and accounts via the intake use cases, Gradient accounts and services via
 * saveConnection (the emulator's limit and latency are switched off meanwhile), usage via the real repository.
 * Every account and product name exists in the partner's PSA, so every line maps.
 */
export async function seed(
  stack: LocalStack,
  workload: Workload,
  emulator: Pick<EmulatorHandle, 'addPartner' | 'setRateLimit' | 'setLatency'> = stack.emulator!,
): Promise<SeedTimings> {
  const { deps } = stack;
  await emulator.setRateLimit(false);
  await emulator.setLatency(undefined);
  let t = performance.now();
  for (const { serviceKey, ...service } of DEMO_SERVICES) await upsertService(deps, serviceKey, service);
  await mapLimit(
    workload.partners.flatMap((p) => p.accounts.map((a) => ({ partnerId: p.partnerId, ...a }))),
    16,
    async (a) => {
      await upsertAccount(deps, a.partnerId, a.accountId, { name: a.name });
    },
  );
  const catalogAndAccountsMs = performance.now() - t;

  t = performance.now();
  const psaProducts = DEMO_SERVICES.map((s) => s.name);
  // One partner first so the vendor services are created once, then the rest concurrently.
  const [first, ...rest] = workload.partners;
  const connect = async (p: BenchPartner) => {
    await emulator.addPartner({
      partnerApiKey: p.partnerApiKey,
      organizationName: p.organizationName,
      psaCompanies: p.accounts.map((a) => a.name),
      psaProducts,
    });
    await saveConnection(deps, p.partnerId, { partnerApiKey: p.partnerApiKey, roundingPolicy: p.roundingPolicy });
  };
  if (first) await connect(first);
  await mapLimit(rest, 4, connect);
  const connectionsMs = performance.now() - t;

  t = performance.now();
  let usageGroups = 0;
  await mapLimit(workload.partners, 2, async (p) => {
    const rows = workload.snapshots.get(p.partnerId) ?? [];
    usageGroups += new Set(rows.map((r) => `${r.accountId}#${r.serviceKey}`)).size;
    await deps.usage.putSnapshots(rows);
  });
  const usageMs = performance.now() - t;
  return { catalogAndAccountsMs, connectionsMs, usageMs, usageGroups };
}

/** Writes the snapshots dated on the 16th: the usage that changed between the nights. */
export async function applyChanges(stack: LocalStack, workload: Workload): Promise<number> {
  let written = 0;
  await mapLimit(workload.partners, 2, async (p) => {
    const rows = workload.changes.get(p.partnerId) ?? [];
    written += rows.length;
    if (rows.length > 0) await stack.deps.usage.putSnapshots(rows);
  });
  return written;
}
