// How a delivery ends: hand over only out of time with progress made; otherwise redeliver, or close on the last.
import { type DeliveryFacts, deliveryEnd } from '../../../../lambdas/core/sync/hand-over';

const facts = (f: Partial<DeliveryFacts>): DeliveryFacts => ({
  open: 5,
  progressed: 3,
  reachedDeadline: true,
  finalDelivery: false,
  ...f,
});

describe('deliveryEnd', () => {
  it('finishes a run with nothing open, whatever else happened', () => {
    expect(deliveryEnd(facts({ open: 0 }))).toBe('finish');
    expect(deliveryEnd(facts({ open: 0, progressed: 0, finalDelivery: true }))).toBe('finish');
  });

  it('hands over a run out of time with progress made, on the last delivery too', () => {
    expect(deliveryEnd(facts({}))).toBe('hand_over');
    expect(deliveryEnd(facts({ finalDelivery: true }))).toBe('hand_over');
  });

  it('leaves a delivery without progress for the redelivery, and closes it on the last', () => {
    expect(deliveryEnd(facts({ progressed: 0 }))).toBe('redeliver');
    expect(deliveryEnd(facts({ progressed: 0, finalDelivery: true }))).toBe('close');
  });

  it('does not hurry a run Gradient kept failing before its deadline: the redelivery is the back-off', () => {
    expect(deliveryEnd(facts({ reachedDeadline: false }))).toBe('redeliver');
    expect(deliveryEnd(facts({ reachedDeadline: false, finalDelivery: true }))).toBe('close');
  });
});
