// The fleet, for the vendor's partner team: every partner with its status, last run, last accepted
// value and the numbers that need a person (unmapped accounts, failed lines, how long pending), latest activity
// first, a page at a time. Read by index from the partner records alone: the numbers are stored there when runs
// finish and mappings sync, so a page costs one Query however many partners it shows.
import { decodeCursor, encodeCursor } from '../cursor';
import type { Partner, PartnerStatus, RunStatus, RunSummary } from '../model';
import type { AppDeps } from '../ports';

export const DEFAULT_FLEET_LIMIT = 50;
export const MAX_FLEET_LIMIT = 200;

export interface FleetEntry {
  partnerId: string;
  organizationName: string | null;
  status: PartnerStatus;
  statusReason: string | null;
  lastRun: { id: string; status: RunStatus; finishedAt: string | null; summary: RunSummary } | null;
  lastAcceptedAt: string | null;
  /** At the last account reconciliation; null before the first. */
  unmappedAccounts: number | null;
  /** Lines the last run could not deliver (0 without a run). */
  failedLines: number;
  /** While pending: since the key was saved. */
  pendingSince: string | null;
}

export interface FleetPage {
  partners: FleetEntry[];
  nextCursor?: string;
}

export const fleetEntry = (p: Partner): FleetEntry => ({
  partnerId: p.partnerId,
  organizationName: p.organizationName ?? null,
  status: p.status,
  statusReason: p.statusReason ?? null,
  lastRun: p.lastRun
    ? {
        id: p.lastRun.runId,
        status: p.lastRun.status,
        finishedAt: p.lastRun.finishedAt ?? null,
        summary: p.lastRun.summary,
      }
    : null,
  lastAcceptedAt: p.lastAcceptedAt ?? null,
  unmappedAccounts: p.unmappedAccounts ?? null,
  failedLines: p.lastRun?.summary.failed ?? 0,
  pendingSince: p.status === 'pending' ? (p.connectedAt ?? p.updatedAt) : null,
});

const POSITION = ['updatedAt', 'partnerId'] as const;

export async function listFleet(
  deps: AppDeps,
  query: { status?: PartnerStatus; limit?: number; cursor?: string },
): Promise<FleetPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor('partners', query.cursor, POSITION);
  const size = Math.min(Math.max(1, query.limit ?? DEFAULT_FLEET_LIMIT), MAX_FLEET_LIMIT);
  // One more than asked tells whether a next page exists without an empty last page.
  const partners = await deps.partners.listByActivity({
    limit: size + 1,
    ...(query.status !== undefined && { status: query.status }),
    ...(after !== undefined && { after }),
  });
  const page = partners.slice(0, size);
  const last = page[page.length - 1];
  return {
    partners: page.map(fleetEntry),
    ...(partners.length > size &&
      last && { nextCursor: encodeCursor('partners', { updatedAt: last.updatedAt, partnerId: last.partnerId }) }),
  };
}
