// A counting decorator over a GradientPort for `npm run bench:large`: what each line's count posts got back
// (accepted, refused with 404, 429, another error), the value Gradient accepted last for it (the value it holds),
// and when requests left, to measure the achieved rate. The port below it (the simulated Gradient) is untouched.

import { decorateGradient } from '../lambdas/core/calls/decorate';
import { GradientNotMappedError, GradientRateLimitedError } from '../lambdas/core/errors';
import type { Clock, GradientPort } from '../lambdas/core/ports';

export interface LinePosts {
  accepted: number;
  notMapped: number;
  rateLimited: number;
  otherErrors: number;
  /** The last value Gradient accepted for the line. */
  held?: number;
}

export class CountingGradient {
  /** serviceId|accountId → its count posts. */
  readonly lines = new Map<string, LinePosts>();
  requests = 0;
  firstAt = Number.POSITIVE_INFINITY;
  lastAt = Number.NEGATIVE_INFINITY;
  /** Accepted counts that asked Gradient to rebuild its billing views (no_build=false), and when the last landed. */
  rebuilds = 0;
  lastRebuildAt = Number.NEGATIVE_INFINITY;
  /** When the last accepted count of any kind landed. */
  lastAcceptedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  /** Forget what was counted (the seeding's requests are not the night's). */
  reset(): void {
    this.lines.clear();
    this.requests = 0;
    this.firstAt = Number.POSITIVE_INFINITY;
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.rebuilds = 0;
    this.lastRebuildAt = Number.NEGATIVE_INFINITY;
    this.lastAcceptedAt = Number.NEGATIVE_INFINITY;
  }

  private started(): void {
    const ms = this.clock.now().getTime();
    this.requests += 1;
    if (ms < this.firstAt) this.firstAt = ms;
    if (ms > this.lastAt) this.lastAt = ms;
  }

  wrap(port: GradientPort): GradientPort {
    return decorateGradient(port, async (operation, invoke) => {
      // A call of many requests (createAccounts, 100 accounts each) is counted at its start only: it happens
      // while seeding.
      this.started();
      if (operation !== 'setUnitCount') return invoke();
      return invoke({ ...port, setUnitCount: (...args) => this.countPost(port, ...args) });
    });
  }

  /** One count post: what it got back, and the value Gradient holds for the line. */
  private async countPost(
    port: GradientPort,
    ...[serviceId, accountId, unitCount, options]: Parameters<GradientPort['setUnitCount']>
  ) {
    const k = `${serviceId}|${accountId}`;
    const line = this.lines.get(k) ?? { accepted: 0, notMapped: 0, rateLimited: 0, otherErrors: 0 };
    this.lines.set(k, line);
    try {
      await port.setUnitCount(serviceId, accountId, unitCount, options);
    } catch (error) {
      if (error instanceof GradientRateLimitedError) line.rateLimited += 1;
      else if (error instanceof GradientNotMappedError) line.notMapped += 1;
      else line.otherErrors += 1;
      throw error;
    }
    line.accepted += 1;
    line.held = unitCount;
    this.lastAcceptedAt = this.clock.now().getTime();
    if (!options.noBuild) {
      this.rebuilds += 1;
      this.lastRebuildAt = this.lastAcceptedAt;
    }
  }
}
