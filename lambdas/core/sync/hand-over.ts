// How one delivery of a run ends, decided from what it did: finished, handed over at once to a continuation,
// left for the message's redelivery, or closed because no delivery comes after it. Pure: no port, no clock.

export type DeliveryEnd =
  /** Every line is settled: the run ends with its status. */
  | 'finish'
  /** Out of time with progress made: a continuation message takes over now; this delivery is acknowledged. */
  | 'hand_over'
  /** Lines open and nothing gained by hurrying: SQS redelivers after its visibility timeout (toward the DLQ). */
  | 'redeliver'
  /** The message's last delivery made no progress: the open lines are closed as failed and the run ends. */
  | 'close';

export interface DeliveryFacts {
  /** Lines still open after this delivery. */
  open: number;
  /** Lines this delivery settled or closed (a receipt written): what a continuation builds on. */
  progressed: number;
  /** The delivery stopped because its deadline came, not only because Gradient kept failing. */
  reachedDeadline: boolean;
  /** The queue's last delivery of this message: a redelivery would go to the DLQ instead. */
  finalDelivery: boolean;
}

/**
 * Only time is a reason to hand over: a delivery that ran out of time while settling lines would finish given
 * more, so it continues at once and never counts as a failed delivery. Open lines without the deadline mean
 * Gradient kept failing: waiting for the redelivery is the back-off, and its count moves toward the DLQ. A
 * delivery that settled nothing counts too, or a run Gradient never answers would continue forever.
 */
export function deliveryEnd(facts: DeliveryFacts): DeliveryEnd {
  if (facts.open === 0) return 'finish';
  if (facts.reachedDeadline && facts.progressed > 0) return 'hand_over';
  return facts.finalDelivery ? 'close' : 'redeliver';
}
