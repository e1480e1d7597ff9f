// A virtual clock whose sleeps are timers that fire only when a test moves time on: for code that sleeps
// concurrently (the pacer), where a clock that jumps on every sleep would reorder the callers.
import type { Clock } from '../../lambdas/core/ports';

/** Lets every pending promise callback and I/O-free continuation run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TimerClock implements Clock {
  private readonly timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  private seq = 0;

  constructor(public t = 0) {}

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((fire) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, fire });
    });
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time to `target`, firing due timers in time order (ties in the order they were set). */
  async runUntil(target: number): Promise<void> {
    await settle();
    for (;;) {
      let next = -1;
      this.timers.forEach((timer, i) => {
        const best = this.timers[next];
        if (timer.at <= target && (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)))
          next = i;
      });
      if (next < 0) break;
      const [timer] = this.timers.splice(next, 1);
      this.t = Math.max(this.t, timer!.at);
      timer!.fire();
      await settle();
    }
    this.t = Math.max(this.t, target);
    await settle();
  }
}
