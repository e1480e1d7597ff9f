import type { Clock } from '../core/ports';

/** Wall-clock time; the only place core's notion of "now" meets the real one. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
