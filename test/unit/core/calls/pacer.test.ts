import { Pacer, type PacerOptions } from '../../../../lambdas/core/calls/pacer';
import type { Clock } from '../../../../lambdas/core/ports';

/** Virtual time: sleeps are timers that fire only when the test advances the clock. No real waiting. */
class VirtualClock implements Clock {
  t = 0;
  sleepCalls = 0;
  maxPendingTimers = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number): Promise<void> {
    this.sleepCalls++;
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), resolve });
      this.maxPendingTimers = Math.max(this.maxPendingTimers, this.timers.length);
    });
  }

  /** Moves virtual time forward by `ms`, firing due timers in order and letting promise chains run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.t = next.at;
      next.resolve();
    }
    this.t = target;
    await flush();
  }
}

/**
 * The pacer with the counters these tests read, kept out of production code: grants and time spent queued are
 * counted around `acquire`, penalties around `penalize`, the effective rate is the pacer's own.
 */
class ObservedPacer extends Pacer {
  private acquired = 0;
  private waitedMs = 0;
  private penalties = 0;
  private readonly observedClock: Clock;

  constructor(opts: PacerOptions) {
    super(opts);
    this.observedClock = opts.clock;
  }

  override acquire(): Promise<void> {
    const queuedAt = this.observedClock.now().getTime();
    return super.acquire().then(() => {
      this.acquired++;
      this.waitedMs += this.observedClock.now().getTime() - queuedAt;
    });
  }

  override penalize(retryAfterMs?: number): void {
    this.penalties++;
    super.penalize(retryAfterMs);
  }

  stats() {
    return {
      acquired: this.acquired,
      waitedMs: this.waitedMs,
      penalties: this.penalties,
      currentRate: this.effectiveRate(),
    };
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts `n` acquires now and records, in order, when each one was granted. */
const acquireMany = (pacer: ObservedPacer, clock: VirtualClock, n: number) => {
  const grants: Array<{ i: number; at: number }> = [];
  for (let i = 0; i < n; i++) void pacer.acquire().then(() => grants.push({ i, at: clock.t }));
  return grants;
};

describe('Pacer', () => {
  it('hands out at most rate + burst tokens in one virtual second, first come first served', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock }); // burst max(1, ceil(10/10)) = 1
    const grants = acquireMany(pacer, clock, 50);
    await clock.advance(1000);
    // 1 token in the bucket at t=0, then one every 100 ms: t = 0, 100, …, 1000 → 11 = 10 + burst
    expect(grants.length).toBeLessThanOrEqual(10 + 1);
    expect(grants.length).toBeGreaterThanOrEqual(10);
    expect(grants.map((g) => g.i)).toEqual([...Array(grants.length).keys()]);
    expect(grants.slice(0, 3).map((g) => g.at)).toEqual([0, 100, 200]);
  });

  it('bursts by default only a tenth of the rate', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 100, clock }); // burst ceil(100/10) = 10
    const grants = acquireMany(pacer, clock, 20);
    await clock.advance(0);
    expect(grants).toHaveLength(10);
    await clock.advance(10); // one token per 10 ms at 100/s
    expect(grants).toHaveLength(11);
  });

  it('never exceeds the configured rate over a long run and keeps a single timer', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 20, burst: 5, clock });
    const grants = acquireMany(pacer, clock, 1000);
    await clock.advance(10_000);
    // 5 at t=0, then 20 per second for 10 s: at most 5 + 200
    expect(grants.length).toBeLessThanOrEqual(205);
    expect(grants.length).toBeGreaterThanOrEqual(200);
    expect(clock.maxPendingTimers).toBe(1);
    // No busy loop: about one sleep per token handed out after the burst.
    expect(clock.sleepCalls).toBeLessThanOrEqual(grants.length);
  });

  it('counts acquisitions and the time callers waited', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    acquireMany(pacer, clock, 3);
    await clock.advance(1000);
    // waits of 0 + 100 + 200 ms
    expect(pacer.stats()).toEqual({ acquired: 3, waitedMs: 300, penalties: 0, currentRate: 10 });
  });

  it('hands out nothing until Retry-After has passed and lowers the rate', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    await pacer.acquire(); // the burst token, at t=0
    pacer.penalize(2000);
    expect(pacer.stats().currentRate).toBeCloseTo(7, 10); // 10 × 0.7
    const grants = acquireMany(pacer, clock, 1);
    await clock.advance(1999);
    expect(grants).toHaveLength(0);
    await clock.advance(500);
    // one token at 7/s takes ≈ 143 ms after the back-off ends
    expect(grants).toHaveLength(1);
    expect(grants[0]!.at).toBeGreaterThanOrEqual(2000 + 142);
    expect(pacer.stats().penalties).toBe(1);
  });

  it('backs off one second when the 429 carried no Retry-After', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    pacer.penalize();
    const grants = acquireMany(pacer, clock, 1);
    await clock.advance(999);
    expect(grants).toHaveLength(0);
    await clock.advance(1000);
    expect(grants).toHaveLength(1);
  });

  it('holds back waiters that are already queued when a penalty arrives', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    const grants = acquireMany(pacer, clock, 5);
    await clock.advance(150); // granted at 0 and 100
    expect(grants).toHaveLength(2);
    pacer.penalize(1000);
    await clock.advance(999); // until t=1149
    expect(grants).toHaveLength(2);
    await clock.advance(1000);
    expect(grants.length).toBeGreaterThan(2);
    expect(grants[2]!.at).toBeGreaterThanOrEqual(1150);
  });

  it('recovers additively by 5 % of the configured rate per second, up to the configured rate', async () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    pacer.penalize(1000); // rate 7, recovery starts when the back-off ends at t=1000
    clock.t = 1000;
    expect(pacer.stats().currentRate).toBeCloseTo(7, 10);
    clock.t = 4000; // 3 s × 0.5/s = +1.5
    expect(pacer.stats().currentRate).toBeCloseTo(8.5, 10);
    clock.t = 60_000;
    expect(pacer.stats().currentRate).toBe(10);
  });

  it('treats a volley of 429s during one back-off as a single signal', () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    for (let i = 0; i < 10; i++) pacer.penalize(500);
    // 10 × 0.7 once, not 10 × 0.7^10
    expect(pacer.stats()).toMatchObject({ penalties: 10, currentRate: 7 });
  });

  it('converges under repeated penalties instead of collapsing to zero', () => {
    const clock = new VirtualClock();
    const pacer = new ObservedPacer({ ratePerSecond: 10, clock });
    for (let i = 0; i < 50; i++) {
      pacer.penalize(100);
      clock.t += 200;
    }
    const rate = pacer.stats().currentRate;
    expect(rate).toBeGreaterThanOrEqual(0.5); // floor: 5 % of the configured rate
    expect(rate).toBeLessThan(10);
  });

  it('rejects a rate or burst that cannot work', () => {
    const clock = new VirtualClock();
    expect(() => new ObservedPacer({ ratePerSecond: 0, clock })).toThrow(RangeError);
    expect(() => new ObservedPacer({ ratePerSecond: 10, burst: 0, clock })).toThrow(RangeError);
  });
});
