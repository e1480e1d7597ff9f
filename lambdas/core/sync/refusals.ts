// Don't knock on a closed door: a line Gradient refused with 404 (not mapped) is not sent again until something
// that could change Gradient's answer changed — the value, the Gradient service it goes to, the account's mapping
// (its flag flipped or it was re-created: a new `mappedSince`), the partner saved the connection or pressed
// *Sync mappings* since, or the line's 28-day verification came round. A full resync sends it anyway. Pure.
import type { HeldValue, Refusal, ServiceMapping } from '../model';
import { dueSince } from './verification';

export interface RefusalCheck {
  refusal: Refusal | undefined;
  /** What Gradient holds for the line: a value it accepted after the refusal outdates it. */
  held: HeldValue | undefined;
  pushed: number;
  serviceId: string;
  /** The account's current `mappedSince`. */
  mappedSince: string | undefined;
  /** When the partner last saved the connection or pressed *Sync mappings* (`lastMappingSync`). */
  mappingsSyncedAt: string | undefined;
  full: boolean;
  at: string;
}

/**
 * The last save or *Sync mappings* of the partner: both stamp every service mapping (`ensureServices`), the
 * nightly never does.
 */
export const lastMappingSync = (services: ServiceMapping[]): string | undefined =>
  services.reduce<string | undefined>(
    (last, s) => (last === undefined || s.syncedAt > last ? s.syncedAt : last),
    undefined,
  );

/** The refusal that still holds for the line, or undefined when the line should be sent. */
export function standingRefusal(c: RefusalCheck): Refusal | undefined {
  const r = c.refusal;
  if (!r || c.full) return undefined;
  if (r.value !== c.pushed || r.serviceId !== c.serviceId || r.mappedSince !== c.mappedSince) return undefined;
  if (c.held && c.held.acceptedAt >= r.refusedAt) return undefined;
  if (c.mappingsSyncedAt !== undefined && c.mappingsSyncedAt > r.refusedAt) return undefined;
  if (dueSince(r, r.refusedAt, c.at)) return undefined;
  return r;
}

/** The receipt's detail of a line held back by its refusal. */
export const refusedDetail = (r: Refusal): string =>
  `refused by Gradient on ${r.refusedAt.slice(0, 10)}; not re-sent until the mapping changes`;
