// What the emulator's API received: the request log and the counters the control plane reports.

export interface RequestLogEntry {
  method: string;
  /** Route template, e.g. `/api/vendor-api/service/:serviceId/count` (the raw path for unknown routes). */
  route: string;
  status: number | 'hang' | 'reset';
  at: string;
}

/**
 * The most instants (epoch ms) in any sliding window of `windowMs` (a second by default), `[t, t + windowMs)`: what
 * a Gradient that counts a sliding second sees at its busiest. Two pointers over the sorted instants.
 */
export function busiestSlidingWindow(instants: readonly number[], windowMs = 1000): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

export interface EmulatorStats {
  /** API requests received (the /__emulator/ endpoints are not counted). */
  requests: number;
  /** 429s answered, by the limiter or injected. */
  rateLimited: number;
  faultsInjected: number;
  /** Accepted counts that trigger a billing rebuild (no_build absent or false). */
  builds: number;
  /** The most API requests that arrived in one sliding second (any `[t, t + 1 s)`), since start or reset. */
  busiestSlidingSecond: number;
}

/** What the API requests were: the log and the counters (builds are the state's). */
export class Traffic {
  stats: Omit<EmulatorStats, 'builds' | 'busiestSlidingSecond'> = { requests: 0, rateLimited: 0, faultsInjected: 0 };
  private log: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
  }

  /** The busiest sliding second of the arrivals logged. */
  busiestSlidingSecond(): number {
    return busiestSlidingWindow(this.log.map((e) => Date.parse(e.at)));
  }

  entries(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  reset(): void {
    this.log = [];
    this.stats = { requests: 0, rateLimited: 0, faultsInjected: 0 };
  }
}
