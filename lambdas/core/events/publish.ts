// Putting the vendor's events on its bus without ever failing what raised them: a failed put is logged and
// counted (the run, the save, the alert it reports on already happened).
import { errorText } from '../calls/caller';
import type { VendorEvent } from '../model';
import type { AppDeps, PartnerRepository } from '../ports';
import { partnerStatusEvent } from './build';

export async function publishSafely(deps: Pick<AppDeps, 'events' | 'log'>, events: VendorEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await deps.events.publish(events);
  } catch (error) {
    deps.log.warn('events not published', {
      detailTypes: events.map((e) => e.detailType),
      error: errorText(error),
    });
  }
}

/**
 * The partners repository with one rule added: a put that changes a partner's status publishes "Partner Status
 * Changed" after it is stored. Every status change goes through `put`, so this is the one place it is noticed;
 * the record it replaced comes back from the same write, so noticing costs no read.
 */
export function withStatusEvents(
  partners: PartnerRepository,
  deps: Pick<AppDeps, 'events' | 'log' | 'clock'>,
): PartnerRepository {
  const put: PartnerRepository['put'] = async (partner) => {
    const before = await partners.put(partner);
    const event = partnerStatusEvent(before, partner, deps.clock.now().toISOString());
    if (event) await publishSafely(deps, [event]);
    return before;
  };
  // Everything else is the repository's own (a Proxy, so a process's bundle keeps only the reads it uses).
  return new Proxy(partners, {
    get: (target, prop, receiver) => {
      if (prop === 'put') return put;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
