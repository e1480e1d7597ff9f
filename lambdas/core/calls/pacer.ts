// A token-bucket pacer shared by all in-flight Gradient calls of one worker, so the worker stays under its
// share of the rate budget and backs off as one when Gradient answers 429. A caller with a deadline it would
// be served after is turned away at once instead of waiting past it.
import { DeadlineReachedError } from '../errors';
import type { Clock } from '../ports';

export interface PacerOptions {
  /** The configured budget; the pacer never hands out tokens faster than this (after the initial burst). */
  ratePerSecond: number;
  /** Bucket size. Defaults to max(1, ceil(rate / 10)) so a burst stays close to the budget. */
  burst?: number;
  clock: Clock;
}

const DEFAULT_BACKOFF_MS = 1000;
const DECREASE_FACTOR = 0.7;
/** Recovery per second without a penalty, as a share of the configured rate. */
const RECOVERY_SHARE_PER_SECOND = 0.05;
/** The rate never drops below this share of the configured rate, so a worker always makes progress. */
const MIN_RATE_SHARE = 0.05;
/** Float slack when checking for a whole token, so accrual noise does not cost an extra 1 ms timer. */
const TOKEN_EPSILON = 1e-9;

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class Pacer {
  private readonly rate: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private readonly minRate: number;

  private tokens: number;
  /** Effective rate (tokens/s) at `updatedAt`. */
  private currentRate: number;
  private updatedAt: number;
  /** No token accrues or is handed out before this instant (epoch ms). */
  private blockedUntil = Number.NEGATIVE_INFINITY;

  private readonly queue: Array<Waiter | undefined> = [];
  private queueHead = 0;
  private pumping = false;

  constructor(opts: PacerOptions) {
    if (!(opts.ratePerSecond > 0) || !Number.isFinite(opts.ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${opts.ratePerSecond}`);
    }
    const burst = opts.burst ?? Math.max(1, Math.ceil(opts.ratePerSecond / 10));
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a whole number ≥ 1, got ${burst}`);
    this.rate = opts.ratePerSecond;
    this.burst = burst;
    this.clock = opts.clock;
    this.minRate = opts.ratePerSecond * MIN_RATE_SHARE;
    this.tokens = burst;
    this.currentRate = opts.ratePerSecond;
    this.updatedAt = this.nowMs();
  }

  /**
   * Resolves when the caller may send one request. Callers are served first come, first served. With a
   * `deadline`, rejects at once (DeadlineReachedError) when at the current rate its turn would come after it; a
   * 429 back-off arriving later can still serve it late, so callers check the time again.
   */
  acquire(deadline?: number): Promise<void> {
    const now = this.nowMs();
    this.advance(now);
    if (this.pending() === 0 && this.tokens >= 1 - TOKEN_EPSILON) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    if (deadline !== undefined && this.turnOfNext(now) >= deadline) return Promise.reject(new DeadlineReachedError());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve, reject });
      if (!this.pumping) void this.pump();
    });
  }

  /**
   * Gradient answered 429: hand out nothing until `retryAfterMs` (default 1 s) has passed and cut the rate
   * by 30 %; it then climbs back by 5 % of the configured rate per second. Penalties that arrive while a
   * back-off is already in force answer requests sent before it, so they extend the back-off but do not
   * cut the rate again (ten concurrent 429s are one signal, not ten).
   */
  penalize(retryAfterMs?: number): void {
    const now = this.nowMs();
    this.advance(now);
    const backoff =
      retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
        ? retryAfterMs
        : DEFAULT_BACKOFF_MS;
    if (now >= this.blockedUntil) {
      this.currentRate = Math.max(this.minRate, this.currentRate * DECREASE_FACTOR);
    }
    this.blockedUntil = Math.max(this.blockedUntil, now + backoff);
    // Resume at the lower rate instead of spending a saved-up burst into the limit again.
    this.tokens = 0;
  }

  /** The effective rate right now (≤ the configured rate): what a 429 cut it to, as it recovers. */
  effectiveRate(): number {
    this.advance(this.nowMs());
    return this.currentRate;
  }

  /** When a caller queued now would be served, assuming the current rate holds (recovery only makes it sooner). */
  private turnOfNext(now: number): number {
    const missing = Math.max(0, this.pending() + 1 - this.tokens);
    return Math.max(now, this.blockedUntil) + missing / (this.currentRate / 1000);
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private pending(): number {
    return this.queue.length - this.queueHead;
  }

  /** Accrues tokens and recovers the rate up to `now`. Nothing accrues during a back-off. */
  private advance(now: number): void {
    if (now <= this.updatedAt) return;
    const from = Math.max(this.updatedAt, this.blockedUntil);
    this.updatedAt = now;
    if (from >= now) return;
    const span = now - from;
    const r0 = this.currentRate / 1000; // tokens per ms
    const rMax = this.rate / 1000;
    const slope = (this.rate * RECOVERY_SHARE_PER_SECOND) / 1000 / 1000; // tokens/ms gained per ms
    // The rate climbs linearly until it reaches the configured rate; tokens are the area under that curve.
    const rampMs = Math.max(0, (rMax - r0) / slope);
    let gained: number;
    if (span <= rampMs) {
      gained = r0 * span + (slope * span * span) / 2;
      this.currentRate = Math.min(this.rate, (r0 + slope * span) * 1000);
    } else {
      gained = r0 * rampMs + (slope * rampMs * rampMs) / 2 + rMax * (span - rampMs);
      this.currentRate = this.rate;
    }
    this.tokens = Math.min(this.burst, this.tokens + gained);
  }

  /** Serves the queue in order; the only place that sleeps, so at most one timer runs at a time. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.pending() > 0) {
        const now = this.nowMs();
        this.advance(now);
        while (this.pending() > 0 && this.tokens >= 1 - TOKEN_EPSILON) {
          const waiter = this.queue[this.queueHead]!;
          this.queue[this.queueHead++] = undefined;
          this.tokens -= 1;
          waiter.resolve();
        }
        this.compactQueue();
        if (this.pending() === 0) break;
        const blockedMs = Math.max(0, this.blockedUntil - now);
        // Assumes the current rate for the whole wait: while recovering this errs on the slow side.
        const accrueMs = (1 - this.tokens) / (this.currentRate / 1000);
        await this.clock.sleep(Math.max(1, Math.ceil(blockedMs + accrueMs)));
      }
    } catch (e) {
      // A failing clock must not strand callers forever.
      while (this.pending() > 0) this.queue[this.queueHead++]!.reject(e);
      this.compactQueue();
    } finally {
      this.pumping = false;
    }
  }

  /** Drops served slots so a queue that never fully drains does not grow without bound. */
  private compactQueue(): void {
    if (this.queueHead === 0) return;
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead >= 1024 && this.queueHead * 2 >= this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }
}
