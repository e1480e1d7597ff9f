// The ports of the process around core: the work queue, time, logs and metrics (with the metric names core
// emits, which the handlers publish as EMF and the stack's alarms and dashboard read).
import type { SyncMessage } from '../model';

export interface SyncQueue {
  /** `delaySeconds`: the message becomes visible that much later (SQS DelaySeconds, at most 900). */
  send(message: SyncMessage, options?: { delaySeconds?: number }): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
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
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface Metrics {
  add(name: MetricName, value: number, unit?: 'Count' | 'Milliseconds'): void;
}
