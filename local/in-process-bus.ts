// The local stand-in for the vendor's EventBridge bus: keeps every event put on it, with the id and time the bus
// would add, tells a listener (`npm run dev` logs each one), and lists them at GET /__local/events.
import { randomUUID } from 'node:crypto';
import type { VendorEvent } from '../lambdas/core/model';
import type { EventPublisher } from '../lambdas/core/ports';
import { checkEvent } from '../lambdas/shared/event-schemas';

/** An event as EventBridge delivers it to a rule's target (its envelope, without account and region). */
export interface DeliveredEvent {
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: VendorEvent['detail'];
}

/** The most events kept (oldest go first), so a long `npm run dev` does not grow without bound. */
const KEPT = 1000;

export class InProcessEventBus implements EventPublisher {
  private log: DeliveredEvent[] = [];
  private listeners: Array<(event: DeliveredEvent) => void> = [];

  async publish(events: VendorEvent[]): Promise<void> {
    // The same check as the EventBridge adapter's: a malformed event fails locally first.
    for (const e of events) checkEvent(e);
    for (const e of events) {
      const delivered: DeliveredEvent = {
        id: randomUUID(),
        source: e.source,
        'detail-type': e.detailType,
        time: new Date().toISOString(),
        detail: structuredClone(e.detail),
      };
      this.log.push(delivered);
      if (this.log.length > KEPT) this.log.shift();
      for (const listener of this.listeners) listener(delivered);
    }
  }

  onEvent(listener: (event: DeliveredEvent) => void): void {
    this.listeners.push(listener);
  }

  events(): DeliveredEvent[] {
    return this.log.map((e) => structuredClone(e));
  }
}
