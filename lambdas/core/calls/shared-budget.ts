// One Gradient rate budget shared by every process (workers and the API): per-second windows in the Limits table,
// claimed a few tokens at a time. Token i of a window may leave at the window's start + (i - 1) / budget, so the
// sends of all processes together are spaced evenly (any second holds about one budget, however Gradient's own
// window is aligned). A local Pacer at the whole budget sits on top: it carries Retry-After and the 429 back-off,
// and it bounds one process's catch-up when its tokens' slots have passed.
import { DeadlineReachedError, GradientRateLimitedError } from '../errors';
import type { RateScope } from '../model';
import type { Clock, GradientFactory, Log, RateBudgetStore } from '../ports';
import { type Caller, pacedGradient, type RateGate } from './caller';
import { Pacer } from './pacer';

export interface BudgetSettings {
  /** Requests per second the scope may send, all processes together. */
  perSecond: number;
  scope: RateScope;
  /** Tokens one claim takes (one write per claim): a worker takes a tenth of a second's worth, the API one. */
  claimSize: number;
  /** This process's rate while the shared counter cannot be reached: its static share, budget ÷ concurrency. */
  fallbackPerSecond: number;
}

export type BudgetDeps = { budget: RateBudgetStore; clock: Clock; log: Pick<Log, 'warn'> };

/** A gate per partner: in `vendor` scope the same one for every partner, in `partner` scope one each. */
export type GateFor = (partnerId: string) => RateGate;

/** The tokens a worker claims at once: a tenth of the budget (≈ 0.1 writes per request), at least one. */
export const workerClaimSize = (perSecond: number): number => Math.max(1, Math.ceil(perSecond / 10));

export function budgetGates(deps: BudgetDeps, settings: BudgetSettings): GateFor {
  const gates = new Map<string, SharedBudgetGate>();
  return (partnerId) => {
    const scope = settings.scope === 'vendor' ? 'vendor' : `partner#${partnerId}`;
    let gate = gates.get(scope);
    if (!gate) {
      gate = new SharedBudgetGate(deps, settings, scope);
      gates.set(scope, gate);
    }
    return gate;
  };
}

/**
 * A factory whose clients draw every call from the partner's gate, for code that sends without the sync's caller
 * (the API's connection test, save and mapping sync). No retry here: a 429 is the answer, and it backs the gate off.
 */
export function budgetedFactory(factory: GradientFactory, gateFor: GateFor): GradientFactory {
  return async (partnerApiKey, options) => {
    const gradient = await factory(partnerApiKey, options);
    return pacedGradient(gradient, gatedCall(gateFor(options?.partnerId ?? '')));
  };
}

const gatedCall =
  (gate: RateGate): Caller =>
  async (_label, fn) => {
    await gate.acquire();
    try {
      return { value: await fn(), attempts: 1 };
    } catch (error) {
      if (error instanceof GradientRateLimitedError) gate.penalize(error.retryAfterMs);
      throw error;
    }
  };

/** After the shared counter failed, this long on the static share before claiming again. */
const CLAIM_PAUSE_MS = 1_000;

interface HeldTokens {
  window: number;
  next: number;
  last: number;
}

export class SharedBudgetGate implements RateGate {
  private readonly capacity: number;
  private readonly slotMs: number;
  private readonly local: Pacer;
  private readonly fallback: Pacer;
  private held: HeldTokens | undefined;
  private claiming: Promise<void> | undefined;
  private claimPausedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: BudgetDeps,
    private readonly settings: BudgetSettings,
    private readonly scope: string,
  ) {
    this.capacity = Math.floor(settings.perSecond);
    if (this.capacity < 1) throw new RangeError(`a shared budget needs ≥ 1 request/s, got ${settings.perSecond}`);
    this.slotMs = 1000 / this.capacity;
    this.local = new Pacer({ ratePerSecond: this.capacity, clock: deps.clock });
    this.fallback = new Pacer({ ratePerSecond: settings.fallbackPerSecond, clock: deps.clock });
  }

  /**
   * Resolves at a token's slot. With a `deadline` (the delivery's), rejects with DeadlineReachedError instead of
   * waiting past it, like the local pacer: a call that cannot start in time is left for the continuation.
   */
  async acquire(deadline?: number): Promise<void> {
    await this.local.acquire(deadline);
    await this.sharedToken(deadline);
  }

  penalize(retryAfterMs?: number): void {
    this.local.penalize(retryAfterMs);
  }

  effectiveRate(): number {
    return this.local.effectiveRate();
  }

  /** Resolves at the slot of a token of the current window that this process claimed. */
  private async sharedToken(deadline?: number): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now().getTime();
      if (deadline !== undefined && now >= deadline) throw new DeadlineReachedError();
      if (now < this.claimPausedUntil) return this.fallback.acquire(deadline);
      const window = Math.floor(now / 1000);
      const held = this.held;
      if (held && held.window === window && held.next <= held.last) {
        const slot = window * 1000 + (held.next - 1) * this.slotMs;
        // A slot that passed is still inside its second until half a slot before the end (latency margin).
        if (slot >= now || now <= window * 1000 + 1000 - this.slotMs / 2) {
          if (deadline !== undefined && slot >= deadline) throw new DeadlineReachedError();
          held.next += 1;
          if (slot > now) await this.deps.clock.sleep(Math.ceil(slot - now));
          return;
        }
      }
      this.claiming ??= this.claim(window, now).finally(() => {
        this.claiming = undefined;
      });
      await this.claiming;
    }
  }

  /**
   * Claims the next tokens of `window`: up to `claimSize`, fewer near the window's end; halves the claim when the
   * window cannot hold it, and waits for the next window when not even one token is left.
   */
  private async claim(window: number, now: number): Promise<void> {
    const windowEnd = window * 1000 + 1000;
    const from = Math.floor((now - window * 1000) / this.slotMs);
    // The counter is at least where this process's last claim left it: a claim that cannot fit is not tried.
    const known = this.held?.window === window ? Math.max(from, this.held.last) : from;
    let count = Math.min(this.settings.claimSize, this.capacity - known);
    if (now > windowEnd - this.slotMs / 2) count = 0;
    try {
      while (count >= 1) {
        const counter = await this.deps.budget.claim({
          scope: this.scope,
          window,
          from,
          count,
          capacity: this.capacity,
        });
        if (counter !== undefined && !Number.isFinite(counter)) {
          throw new Error('the shared budget store answered no counter'); // fall back rather than spin
        }
        if (counter !== undefined) {
          this.held = { window, next: counter - count + 1, last: counter };
          return;
        }
        count = Math.floor(count / 2);
      }
    } catch (error) {
      this.claimPausedUntil = this.deps.clock.now().getTime() + CLAIM_PAUSE_MS;
      this.deps.log.warn('shared rate budget unavailable: pacing at the static share', {
        scope: this.scope,
        ratePerSecond: this.settings.fallbackPerSecond,
        error: error instanceof Error ? error.name : String(error),
      });
      return;
    }
    this.held = undefined;
    await this.deps.clock.sleep(Math.max(1, windowEnd - this.deps.clock.now().getTime()));
  }
}
