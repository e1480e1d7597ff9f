// The EventBridge adapter alone (the SDK mocked): batches of 10, the service's source and detail types, the
// check against the documented shapes before anything is put, and a refused entry failing the put.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeBus } from '../../../lambdas/adapters/eventbridge-bus';
import { runDeadLetteredEvent } from '../../../lambdas/core/events/build';
import type { VendorEvent } from '../../../lambdas/core/model';

const bridge = mockClient(EventBridgeClient);
const bus = new EventBridgeBus(new EventBridgeClient({ region: 'eu-west-1' }), 'billing-events');
const request = {
  runId: 'r1',
  partnerId: 'p1',
  period: '2026-11',
  asOf: '2026-11-30',
  full: false,
  trigger: 'schedule' as const,
};
const event = (n: number): VendorEvent =>
  runDeadLetteredEvent(request, { receiveCount: n, reason: 'boom', at: '2026-12-06T02:00:00.000Z' });

beforeEach(() => bridge.reset());

describe('EventBridgeBus', () => {
  it('puts 23 events in requests of 10, 10 and 3 on the named bus with source and detail type', async () => {
    bridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await bus.publish(Array.from({ length: 23 }, (_, i) => event(i + 1)));
    const calls = bridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    const first = calls[0]?.args[0].input.Entries?.[0];
    expect(first).toMatchObject({
      EventBusName: 'billing-events',
      Source: 'gradient-billing-sync',
      DetailType: 'Run Dead-Lettered',
    });
    expect(JSON.parse(first?.Detail ?? '{}')).toMatchObject({ partnerId: 'p1', receiveCount: 1 });
  });

  it('fails the put when EventBridge refused an entry', async () => {
    bridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(bus.publish([event(1)])).rejects.toThrow('EventBridge refused 1 of 1 events: InternalFailure');
  });

  it('puts nothing when an event has a field its documented shape does not', async () => {
    const odd = { ...event(1), detail: { ...event(1).detail, partnerApiKey: 'x' } } as unknown as VendorEvent;
    await expect(bus.publish([event(1), odd])).rejects.toThrow('malformed');
    expect(bridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
