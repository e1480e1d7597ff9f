// Each process's settings, from the one parsed environment and the tuning in shared/settings.ts: nothing else
// reads the environment or the tuning table for a handler.
import { type BudgetSettings, workerClaimSize } from '../core/calls/shared-budget';
import type { ResyncLimits } from '../core/sync/resync';
import type { SyncOptions } from '../core/sync/run-sync';
import type { Env } from '../shared/env';
import { RATE_BUDGET_LANE_FLOOR_SHARE, RATE_BUDGET_LATE_MS, WORKER_TUNING } from '../shared/settings';

/** The shared Gradient rate budget of a configuration, claimed `claimSize` tokens at a time. */
export const budgetSettings = (config: Env, claimSize: number): BudgetSettings => ({
  perSecond: config.GRADIENT_RATE_BUDGET,
  scope: config.GRADIENT_RATE_SCOPE,
  claimSize,
  fallbackPerSecond: config.GRADIENT_RATE_BUDGET / config.WORKER_MAX_CONCURRENCY,
  lateMs: RATE_BUDGET_LATE_MS,
  laneFloorShare: RATE_BUDGET_LANE_FLOOR_SHARE,
});

export interface WorkerSettings {
  /** The Gradient rate budget every worker (and the API) draws from. */
  rate: BudgetSettings;
  maxInFlight: number;
  /** Stop starting calls this long (at most) before the Lambda times out, to save progress. */
  safetyMarginMs: number;
  /** …and at most this share of the time the invocation has (see the worker's `safetyMargin`). */
  safetyMarginShare: number;
  retry: SyncOptions['retry'];
  /** The queue's maxReceiveCount: the delivery with this receive count is the last one. */
  maxReceiveCount: number;
  /** The delay of a waiting run's message copy while its partner is busy. */
  partnerBusyDelaySeconds: number;
}

/** The worker's: the shared budget, claimed several tokens at a time, plus the worker tuning. */
export const workerSettings = (config: Env): WorkerSettings => ({
  rate: budgetSettings(config, workerClaimSize(config.GRADIENT_RATE_BUDGET)),
  maxInFlight: WORKER_TUNING.maxInFlight,
  safetyMarginMs: WORKER_TUNING.safetyMarginMs,
  safetyMarginShare: WORKER_TUNING.safetyMarginShare,
  retry: { ...WORKER_TUNING.retry },
  maxReceiveCount: config.WORK_QUEUE_MAX_RECEIVE_COUNT,
  partnerBusyDelaySeconds: WORKER_TUNING.partnerBusyDelaySeconds,
});

export interface ApiSettings {
  /** How far back a manual resync may reach. */
  resync: ResyncLimits;
}

export const apiSettings = (config: Pick<Env, 'RESYNC_MAX_CLOSED_PERIODS'>): ApiSettings => ({
  resync: { maxClosedPeriods: config.RESYNC_MAX_CLOSED_PERIODS },
});
