// A local Gradient vendor API on 127.0.0.1 (docs/emulator.md): auth by GRADIENT-TOKEN,
// the documented routes and NestJS-style errors, 404 for unmapped counts, the rate limit, exact-name auto-mapping,
// disconnect and key regeneration, switches for latency and faults, and test-only endpoints under /__emulator/.
// Here the parts are put together: state.ts (the data), server.ts (HTTP), control.ts, switches.ts, persist.ts.
import { listen } from '../http';
import { EmulatorControlPlane, type GradientEmulator } from './control';
import type { EmulatorVendorConfig } from './model';
import { persistence } from './persist';
import { requestHandler } from './server';
import { EmulatorState } from './state';
import { type AccountShape, type LatencyRange, type RateLimit, Switches } from './switches';
import { Traffic } from './traffic';

export type { EmulatorControls, GradientEmulator } from './control';
// What callers configure the emulator with; what it answers is typed in model.ts.
export type { EmulatorPartnerConfig, EmulatorVendorConfig } from './model';
export type { AccountShape, FaultKind, FaultSpec, LatencyRange, RateLimit, RateWindow } from './switches';
export { busiestSlidingWindow, type EmulatorStats, type RequestLogEntry } from './traffic';

export interface GradientEmulatorOptions {
  /** Default 0 (ephemeral). The server always binds 127.0.0.1. */
  port?: number;
  /** Default: one vendor `{vendorApiKey: 'emulator-vendor-key', name: 'Emulated Vendor'}`. */
  vendors?: EmulatorVendorConfig[];
  /** Server-wide limit; default `{perSecond: 100}` as Gradient documents; false disables it. */
  rateLimit?: RateLimit | false;
  /** Send Retry-After (whole seconds) on 429. Gradient documents none; default true. */
  retryAfterHeader?: boolean;
  /** Delay before every API answer, uniform in [min, max] ms from a seeded PRNG. */
  latencyMs?: LatencyRange;
  /** PRNG seed for latency; default 1. */
  seed?: number;
  /** `older` serves GET /organization/accounts without `isMapped` (Gradient's documented sample); default `current`. */
  accountShape?: AccountShape;
  /** Clock for timestamps and the rate-limit window (tests may pin it). */
  now?: () => Date;
  /**
   * JSON file the emulated Gradient keeps its partners, accounts, services and counts in, so a later local run
   * meets the same Gradient (partner keys are stored as SHA-256 hashes only). In memory when absent.
   */
  dataFile?: string;
}

export async function startGradientEmulator(options: GradientEmulatorOptions = {}): Promise<GradientEmulator> {
  const now = options.now ?? (() => new Date());
  const vendors = options.vendors ?? [{ vendorApiKey: 'emulator-vendor-key', name: 'Emulated Vendor' }];
  const state = new EmulatorState(vendors, now);
  const file = persistence(options.dataFile);
  const stored = file.load();
  if (stored) state.restore(stored);
  const switches = new Switches(options);
  const traffic = new Traffic();
  const control = new EmulatorControlPlane({ state, switches, traffic });
  const server = await listen(
    requestHandler({
      state,
      switches,
      traffic,
      control,
      now,
      retryAfterHeader: options.retryAfterHeader ?? true,
      // Written synchronously after every change: a local run may stop at any moment (Ctrl-C), small data.
      persist: () => file.save(state.durable()),
    }),
    { port: options.port },
  );
  return { ...control.controls, url: server.url, port: server.port, close: server.close };
}
