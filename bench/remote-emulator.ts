// The budget bench's handle on an emulator in another process (bench/emulator-process.ts): started as a child,
// driven through its control routes, its answers checked with zod as every edge is.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as z from 'zod';
import type { EmulatorPartnerConfig, LatencyRange, RateLimit, RequestLogEntry } from '../local/gradient-emulator';

const requestLogSchema = z.array(
  z.object({
    method: z.string(),
    route: z.string(),
    status: z.union([z.number(), z.literal('hang'), z.literal('reset')]),
    at: z.string(),
  }),
);

/** What the seeding and the measure need of the emulator, in process or not. */
export interface EmulatorHandle {
  url: string;
  addPartner(config: EmulatorPartnerConfig): unknown;
  setRateLimit(limit: RateLimit | false): unknown;
  setLatency(latency: LatencyRange | undefined): unknown;
  requestLog(): RequestLogEntry[] | Promise<RequestLogEntry[]>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(): Promise<EmulatorHandle> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'emulator-process.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { url } = z.object({ url: z.string().url() }).parse(JSON.parse(first));
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}/__emulator/${path}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status >= 300) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    addPartner: (config) => control('POST', 'partners', config),
    setRateLimit: (limit) => control('POST', 'rate-limit', limit),
    setLatency: (latency) => control('POST', 'latency', latency ?? null),
    requestLog: async () => requestLogSchema.parse(await control('GET', 'requests')),
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
