// What the emulator's API received: the request log and the counters the control plane reports.

export interface RequestLogEntry {
  method: string;
  /** Route template, e.g. `/api/vendor-api/service/:serviceId/count` (the raw path for unknown routes). */
  route: string;
  status: number | 'hang' | 'reset';
  at: string;
}

export interface EmulatorStats {
  /** API requests received (the /__emulator/ endpoints are not counted). */
  requests: number;
  /** 429s answered, by the limiter or injected. */
  rateLimited: number;
  faultsInjected: number;
  /** Accepted counts that trigger a billing rebuild (no_build absent or false). */
  builds: number;
}

/** What the API requests were: the log and the counters (builds are the state's). */
export class Traffic {
  stats: Omit<EmulatorStats, 'builds'> = { requests: 0, rateLimited: 0, faultsInjected: 0 };
  private log: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
  }

  entries(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  reset(): void {
    this.log = [];
    this.stats = { requests: 0, rateLimited: 0, faultsInjected: 0 };
  }
}
