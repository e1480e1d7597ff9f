// One Gradient rate budget shared by every process (workers and the API): per-second windows in the Limits table,
// claimed a few tokens at a time. Token i of a window leaves at the window's start + (i - 1) / budget and no later
// than a small margin after it, so the sends of all processes together are spaced evenly over every second, not
// bunched at its start or at its end (any sliding second Gradient sees holds about one budget, however its own
// window is counted). A process claims its next block while it spends one, so a claim's round trip leaves no gap.
// A local Pacer at the whole budget sits on top: it carries Retry-After and the 429 back-off.
import { DeadlineReachedError, GradientRateLimitedError } from '../errors';
import type { RateScope, RunLane } from '../model';
import type { Clock, GradientFactory, Log, RateBudgetStore } from '../ports';
import { type Caller, pacedGradient, type RateGate } from './caller';
import { LaneLedger } from './lane-ledger';
import { Pacer } from './pacer';

export interface BudgetSettings {
  /** Requests per second the scope may send, all processes together. */
  perSecond: number;
  scope: RateScope;
  /** Tokens one claim takes (one write per claim): a worker takes a tenth of a second's worth, the API one. */
  claimSize: number;
  /** This process's rate while the shared counter cannot be reached: its static share, budget ÷ concurrency. */
  fallbackPerSecond: number;
  /**
   * How long after its slot a token may still go: the margin for the jitter between a slot and the request's
   * arrival. A token later than that lapses unsent, so any second Gradient sees holds at most
   * `perSecond × (1 + lateMs / 1000) + 1` requests sent by the budget's holders.
   */
  lateMs: number;
  /** The share of a second a lane that wants tokens always keeps, whatever the lanes ahead of it want. */
  laneFloorShare: number;
}

export type BudgetDeps = { budget: RateBudgetStore; clock: Clock; log: Pick<Log, 'warn'> };

/**
 * A gate per partner and lane: in `vendor` scope the same one for every partner, in `partner` scope one each; a
 * lane's claims are held within its share of each second (`lanes.ts`).
 */
export type GateFor = (partnerId: string, lane: RunLane) => RateGate;

/** The tokens a worker claims at once: a tenth of the budget (≈ 0.1 writes per request), at least one. */
export const workerClaimSize = (perSecond: number): number => Math.max(1, Math.ceil(perSecond / 10));

export function budgetGates(deps: BudgetDeps, settings: BudgetSettings): GateFor {
  const gates = new Map<string, SharedBudgetGate>();
  return (partnerId, lane) => {
    const scope = settings.scope === 'vendor' ? 'vendor' : `partner#${partnerId}`;
    let gate = gates.get(`${scope}#${lane}`);
    if (!gate) {
      gate = new SharedBudgetGate(deps, settings, scope, lane);
      gates.set(`${scope}#${lane}`, gate);
    }
    return gate;
  };
}

/**
 * A factory whose clients draw every call from the partner's gate, for code that sends without the sync's caller
 * (the API's connection test, save and mapping sync: someone waits at the console, so the `admin` lane). No retry
 * here: a 429 is the answer, and it backs the gate off.
 */
export function budgetedFactory(factory: GradientFactory, gateFor: GateFor): GradientFactory {
  return async (partnerApiKey, options) => {
    const gradient = await factory(partnerApiKey, options);
    return pacedGradient(gradient, gatedCall(gateFor(options?.partnerId ?? '', 'admin')));
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

/** Tokens `next … last` of one window, claimed by this process. */
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
  /** Claimed blocks in slot order: the one being handed out, and the one claimed ahead of it. */
  private readonly blocks: HeldTokens[] = [];
  /** Where this process's last claim left a window's counter: the counter is at least there. */
  private counterSeen: { window: number; counter: number } | undefined;
  /** A window this process found full: the next claim goes to the one after it. */
  private fullWindow = Number.NEGATIVE_INFINITY;
  private claiming: Promise<void> | undefined;
  private claimPausedUntil = Number.NEGATIVE_INFINITY;
  /** What the lanes took in the windows this process saw: its lane's cap in each. */
  private readonly lanes: LaneLedger;
  /** How long a claim took lately (a moving average): a claim asks for slots that far ahead, not already past. */
  private claimMs = 0;
  /** Tokens the holder said it still wants (`expect`); undefined: unknown, claim full blocks. */
  private expected: number | undefined;

  constructor(
    private readonly deps: BudgetDeps,
    private readonly settings: BudgetSettings,
    private readonly scope: string,
    private readonly lane: RunLane,
  ) {
    this.capacity = Math.floor(settings.perSecond);
    if (this.capacity < 1) throw new RangeError(`a shared budget needs ≥ 1 request/s, got ${settings.perSecond}`);
    this.slotMs = 1000 / this.capacity;
    this.local = new Pacer({ ratePerSecond: this.capacity, clock: deps.clock });
    this.fallback = new Pacer({ ratePerSecond: settings.fallbackPerSecond, clock: deps.clock });
    this.lanes = new LaneLedger(deps, scope, lane, {
      capacity: this.capacity,
      claimSize: settings.claimSize,
      floorShare: settings.laneFloorShare,
    });
  }

  /**
   * Resolves at a token's slot (or at most `lateMs` after it). With a `deadline` (the delivery's), rejects
   * with DeadlineReachedError instead of waiting past it, like the local pacer: a call that cannot start in time
   * is left for the continuation.
   */
  async acquire(deadline?: number): Promise<void> {
    await this.local.acquire(deadline);
    await this.sharedToken(deadline);
  }

  penalize(retryAfterMs?: number): void {
    this.local.penalize(retryAfterMs);
  }

  expect(calls: number): void {
    this.expected = calls >= 1 ? Math.floor(calls) : undefined;
  }

  effectiveRate(): number {
    return this.local.effectiveRate();
  }

  private slotOf(block: HeldTokens, token: number): number {
    return block.window * 1000 + (token - 1) * this.slotMs;
  }

  /**
   * Resolves at the slot of a token this process claimed. Tokens go in slot order, each no later than
   * `lateMs` after its slot: one whose slot passed by more lapses unsent, so a process that fell behind
   * never catches up in a burst (the instants Gradient sees stay spaced).
   */
  private async sharedToken(deadline?: number): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now().getTime();
      if (deadline !== undefined && now >= deadline) throw new DeadlineReachedError();
      if (now < this.claimPausedUntil) return this.fallback.acquire(deadline);
      const slot = this.frontSlot(now);
      // Claim the next block while this one is handed out, so a claim's round trip is never a gap; no more than
      // the holder still wants, so a push that ends leaves no claimed slot to lapse unsent.
      const held = this.heldTokens();
      const wanted = (this.expected ?? Number.POSITIVE_INFINITY) - held;
      if (held < this.settings.claimSize && wanted >= 1) {
        this.startClaim(now, slot !== undefined, Math.min(this.settings.claimSize, wanted));
      }
      if (slot === undefined) {
        await this.claiming;
        continue;
      }
      if (deadline !== undefined && slot >= deadline) throw new DeadlineReachedError();
      this.blocks[0]!.next += 1;
      this.spend(1);
      if (slot <= now) return;
      await this.deps.clock.sleep(Math.ceil(slot - now));
      if (this.deps.clock.now().getTime() <= slot + this.settings.lateMs) return;
      // Woke too late for its slot: the token is spent unsent (still wanted); take the next one.
      if (this.expected !== undefined) this.expected += 1;
    }
  }

  /** `n` tokens taken for the holder: that many fewer it still wants; none left, the hint is spent. */
  private spend(n: number): void {
    if (this.expected === undefined) return;
    this.expected -= n;
    if (this.expected < 1) this.expected = undefined;
  }

  /** The slot of the next token to hand out, after dropping the ones whose instant passed; undefined when none. */
  private frontSlot(now: number): number | undefined {
    for (;;) {
      const block = this.blocks[0];
      if (!block) return undefined;
      if (block.next > block.last) {
        this.blocks.shift();
        continue;
      }
      const slot = this.slotOf(block, block.next);
      if (slot + this.settings.lateMs >= now) return slot;
      block.next += 1; // its instant passed: it lapses unsent
    }
  }

  private heldTokens(): number {
    return this.blocks.reduce((n, b) => n + Math.max(0, b.last - b.next + 1), 0);
  }

  /**
   * Starts a claim of `size` tokens unless one is under way; a claim ahead (`ahead`) reaches at most into the next
   * second.
   */
  private startClaim(now: number, ahead: boolean, size: number): void {
    if (this.claiming) return;
    const last = this.blocks.at(-1);
    const after = last && last.next <= last.last ? this.slotOf(last, last.last) + this.slotMs : now;
    let at = Math.max(now + this.claimMs, after);
    if (at < (this.fullWindow + 1) * 1000) at = (this.fullWindow + 1) * 1000;
    const window = Math.floor(at / 1000);
    // Not even half a slot left in this second: claim from the next one.
    const target = at > window * 1000 + 1000 - this.slotMs / 2 ? window + 1 : window;
    if (ahead && target * 1000 > now + 1000) return;
    const from = target === window ? Math.floor((at - window * 1000) / this.slotMs) : 0;
    this.claiming = this.claim(target, from, size).finally(() => {
      this.claiming = undefined;
    });
  }

  /**
   * Claims the next tokens of `window` from slot `from` on: up to `size` plus the slots this process knows
   * already passed unclaimed (they lapse at once, in the same write); halves the claim when the window cannot hold
   * it, and marks the window full when not even one token is left.
   */
  private async claim(window: number, from: number, size: number): Promise<void> {
    const seen = this.counterSeen?.window === window ? this.counterSeen.counter : from;
    const known = Math.max(from, seen);
    const ownSeen = this.lanes.ownIn(window);
    let count = Math.min(size + Math.max(0, from - seen), this.capacity - known);
    try {
      const laneCap = this.lanes.capIn(window);
      count = Math.min(count, laneCap - ownSeen);
      while (count >= 1) {
        const claim = { scope: this.scope, window, from, count, capacity: this.capacity, lane: this.lane, laneCap };
        const sent = this.deps.clock.now().getTime();
        const answer = await this.deps.budget.claim(claim);
        this.claimMs = 0.8 * this.claimMs + 0.2 * (this.deps.clock.now().getTime() - sent);
        if (answer !== undefined && !Number.isFinite(answer.tokens)) {
          throw new Error('the shared budget store answered no counter'); // fall back rather than spin
        }
        if (answer !== undefined) {
          this.blocks.push({ window, next: answer.tokens - count + 1, last: answer.tokens });
          this.counterSeen = { window, counter: answer.tokens };
          this.lanes.note(window, answer.lanes);
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
    this.fullWindow = Math.max(this.fullWindow, window);
  }
}
