// The vendor's event bus on EventBridge: PutEvents in batches of 10 (its limit), every entry with the service's
// source and detail type; an entry EventBridge did not take fails the put (the caller logs it, core/events/publish.ts).
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { VendorEvent } from '../core/model';
import type { EventPublisher } from '../core/ports';
import { checkEvent } from '../shared/event-schemas';

/** PutEvents takes at most 10 entries a request. */
export const EVENTS_PER_PUT = 10;

export const createEventBridgeClient = (): EventBridgeClient => new EventBridgeClient({});

export class EventBridgeBus implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: VendorEvent[]): Promise<void> {
    for (const event of events) checkEvent(event);
    for (let i = 0; i < events.length; i += EVENTS_PER_PUT) {
      const chunk = events.slice(i, i + EVENTS_PER_PUT);
      const answer = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((e) => ({
            EventBusName: this.busName,
            Source: e.source,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      const failed = (answer.Entries ?? []).filter((e) => e.ErrorCode);
      if ((answer.FailedEntryCount ?? 0) > 0 || failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `EventBridge refused ${answer.FailedEntryCount ?? failed.length} of ${chunk.length} events` +
            (first ? `: ${first.ErrorCode} ${first.ErrorMessage ?? ''}`.trimEnd() : ''),
        );
      }
    }
  }
}

/** Without a bus configured (EVENT_BUS_NAME unset) events go nowhere. */
export const noEvents: EventPublisher = { publish: async () => undefined };
