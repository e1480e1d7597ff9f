// The Gradient emulator's switches: the server-wide rate limit, injected faults, injected latency and the shape of
// the account list (with `isMapped`, or Gradient's older documented sample without it), and whether the MSPs'
// Alerts module is on.
// All deterministic: the limiter's window opens at the first request, faults fire in order, latency is seeded.
import { seededRandom } from '../seeded-random';

export type FaultKind = '429' | '500' | '503' | 'hang' | 'reset' | 'malformed' | '401';
export type FaultRoute = 'count' | 'accounts' | 'organization' | 'clients' | 'alerting' | 'any';
/** Which family an API request belongs to, for fault matching; 'other' matches only 'any'. */
export type RouteClass = Exclude<FaultRoute, 'any'> | 'other';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests get the fault. */
  count: number;
  route?: FaultRoute;
  /** Let this many matching requests through first. */
  afterRequests?: number;
}

/**
 * How GET /organization/accounts answers: `current` with `isMapped` (SDK-DS), `older` as Gradient's documented
 * sample, `{id, name, description}` only.
 */
export const ACCOUNT_SHAPES = ['current', 'older'] as const;
export type AccountShape = (typeof ACCOUNT_SHAPES)[number];

/**
 * How the limit counts a second: `fixed` windows that open with the first request after the last one closed (a
 * burst at a window's end and another at the next one's start both pass), or a `sliding` second (every
 * `[t - 1 s, t]` holds at most `perSecond` accepted requests: the strict reading of "100 requests a second").
 */
export const RATE_WINDOWS = ['fixed', 'sliding'] as const;
export type RateWindow = (typeof RATE_WINDOWS)[number];

export interface RateLimit {
  perSecond: number;
  /** Default `fixed`. */
  window?: RateWindow;
}

export interface LatencyRange {
  min: number;
  max: number;
}

/**
 * At most `perSecond` requests per second: per 1-second window opened by the first request after the last closed,
 * or per sliding second (the accepted requests' instants are kept for a second).
 */
export class WindowLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  /** Sliding: the instants of the requests accepted in the last second, oldest first. */
  private accepted: number[] = [];

  constructor(private limit: RateLimit | false) {}

  set(limit: RateLimit | false): void {
    this.limit = limit;
    this.windowStart = Number.NEGATIVE_INFINITY;
    this.used = 0;
    this.accepted = [];
  }

  /** undefined when allowed, else the milliseconds until a request would be. */
  take(nowMs: number): number | undefined {
    if (this.limit === false) return undefined;
    if (this.limit.window === 'sliding') return this.takeSliding(nowMs, this.limit.perSecond);
    if (nowMs >= this.windowStart + 1000) {
      this.windowStart = nowMs;
      this.used = 0;
    }
    if (this.used < this.limit.perSecond) {
      this.used++;
      return undefined;
    }
    return this.windowStart + 1000 - nowMs;
  }

  private takeSliding(nowMs: number, perSecond: number): number | undefined {
    while (this.accepted.length > 0 && this.accepted[0]! <= nowMs - 1000) this.accepted.shift();
    if (this.accepted.length < perSecond) {
      this.accepted.push(nowMs);
      return undefined;
    }
    return this.accepted[0]! + 1000 - nowMs;
  }
}

interface ActiveFault {
  kind: FaultKind;
  route: FaultRoute;
  remaining: number;
  skip: number;
}

export class FaultQueue {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (!Number.isInteger(spec.count) || spec.count < 1)
      throw new Error('injectFaults: count must be a positive integer');
    this.faults.push({
      kind: spec.kind,
      route: spec.route ?? 'any',
      remaining: spec.count,
      skip: spec.afterRequests ?? 0,
    });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): number {
    return this.faults.reduce((n, f) => n + f.remaining, 0);
  }

  /** The fault this request gets, if any; every matching spec still counting down sees the request. */
  next(route: RouteClass): FaultKind | undefined {
    let chosen: FaultKind | undefined;
    for (const fault of this.faults) {
      if (fault.route !== 'any' && fault.route !== route) continue;
      if (fault.skip > 0) {
        fault.skip--;
        continue;
      }
      if (chosen === undefined && fault.remaining > 0) {
        fault.remaining--;
        chosen = fault.kind;
      }
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return chosen;
  }
}

export interface SwitchSettings {
  rateLimit?: RateLimit | false;
  latencyMs?: LatencyRange;
  seed?: number;
  accountShape?: AccountShape;
  /** Whether MSPs have Gradient's Alerts module (and a PSA board for it); default true. */
  alertsModule?: boolean;
}

/** Gradient documents 100 requests per second. */
const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 100 };

/** The switches together, as configured at start; reset() goes back to that. */
export class Switches {
  readonly limiter: WindowLimiter;
  readonly faults = new FaultQueue();
  latency: LatencyRange | undefined;
  accountShape: AccountShape;
  alertsModule: boolean;
  private random: () => number;

  constructor(private readonly initial: SwitchSettings) {
    this.limiter = new WindowLimiter(initial.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.latency = initial.latencyMs;
    this.accountShape = initial.accountShape ?? 'current';
    this.alertsModule = initial.alertsModule ?? true;
    this.random = seededRandom(initial.seed ?? 1);
  }

  reset(): void {
    this.faults.clear();
    this.limiter.set(this.initial.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.latency = this.initial.latencyMs;
    this.accountShape = this.initial.accountShape ?? 'current';
    this.alertsModule = this.initial.alertsModule ?? true;
    this.random = seededRandom(this.initial.seed ?? 1);
  }

  /** The injected delay for one answer, drawn from the seeded PRNG; undefined without latency. */
  delayMs(): number | undefined {
    const { latency } = this;
    return latency && latency.min + this.random() * (latency.max - latency.min);
  }
}
