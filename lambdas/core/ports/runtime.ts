// The ports of the process around core: the work queue, the event bus, time, logs and metrics (with the metric names core
// emits, which the handlers publish as EMF and the stack's alarms and dashboard read).
import type { RunLane, SyncMessage, VendorEvent } from '../model';

/** The most messages one batch send carries (SQS SendMessageBatch's limit on entries). */
export const QUEUE_BATCH_MAX = 10;

/** A message of a batch the queue did not take, by its place in the batch. */
export interface QueueBatchFailure {
  index: number;
  error: string;
}

export interface SyncQueue {
  /** `delaySeconds`: the message becomes visible that much later (SQS DelaySeconds, at most 900). */
  send(message: SyncMessage, options?: { delaySeconds?: number }): Promise<void>;
  /**
   * Sends up to QUEUE_BATCH_MAX messages in one call. Answers the messages that were not sent (after the queue's
   * own retry), empty when all were; rejects when the call as a whole failed, so none may have been sent.
   */
  sendBatch(messages: readonly SyncMessage[]): Promise<QueueBatchFailure[]>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** One claim on a shared rate budget: `count` more tokens of the per-second window starting at `window` (epoch s). */
export interface RateBudgetClaim {
  /** The budget's scope key (`vendor`, or `partner#<id>`); never a key. */
  scope: string;
  /** The window's start, in whole epoch seconds. */
  window: number;
  /** Where a window nobody has claimed from yet starts counting: the slots that already passed are gone. */
  from: number;
  count: number;
  /** Tokens the window holds (the budget per second); the caller keeps `from + count` within it. */
  capacity: number;
  /** The lane claiming, and the most tokens its claims of the window may reach together (`calls/lanes.ts`). */
  lane: RunLane;
  laneCap: number;
}

/** A window's counters after a claim: tokens handed out in all, and per lane. */
export interface RateBudgetCounters {
  tokens: number;
  lanes: Partial<Record<RunLane, number>>;
}

/**
 * Per-second windows of a rate budget shared by every process (the Limits table). A claim takes `count` tokens
 * at once: the window's counter becomes `(counter ?? from) + count` and the lane's `(lane ?? 0) + count`, unless
 * the one would pass `capacity` or the other `laneCap`.
 */
export interface RateBudgetStore {
  /**
   * The window's counters after the claim (the claim holds tokens `tokens - count + 1 … tokens`), or undefined
   * when it did not fit.
   */
  claim(claim: RateBudgetClaim): Promise<RateBudgetCounters | undefined>;
  /** A window's counters as they stand (undefined when nobody claimed in it); an eventually consistent read. */
  counters(scope: string, window: number): Promise<RateBudgetCounters | undefined>;
}

/** Structured log sink; implementations must never be handed a key. */
export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Metric names emitted by core. */
export const METRIC_NAMES = [
  'LinesComputed',
  'LinesSent',
  'LinesAccepted',
  'LinesNotMapped',
  'LinesUnchanged',
  'LinesFailed',
  'RunDuration',
  'RunsSucceeded',
  'RunsPartial',
  'RunsFailed',
  'PartnersAuthFailed',
  'GradientRequests',
  'GradientRateLimited',
  'GradientRetries',
  'GradientLatency',
  'PartnersEnqueued',
  'AlertsSent',
  'AlertsFailed',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface Metrics {
  add(name: MetricName, value: number, unit?: 'Count' | 'Milliseconds'): void;
}

/** The vendor's event bus (EventBridge; in-process locally): events for its own people, never a key. */
export interface EventPublisher {
  publish(events: VendorEvent[]): Promise<void>;
}
