// A real clock moved to another day: time runs and sleeps really wait, but `now()` reads as if the test ran on
// `day` (from 02:00 UTC, when the nightly runs), so what depends on the run's date is the same whatever today is.
import type { Clock } from '../../lambdas/core/ports';

export function shiftedClock(day: string): Clock {
  // A whole number of seconds, so per-second windows (the shared rate budget) stay aligned with real time.
  const offset = Math.round((Date.parse(`${day}T02:00:00.000Z`) - Date.now()) / 1000) * 1000;
  return {
    now: () => new Date(Date.now() + offset),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}
