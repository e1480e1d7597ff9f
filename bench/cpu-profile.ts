// A CPU profile of one stretch of a bench (node:inspector, in process), summed by where the time went: self time
// per package under node_modules (dynalite and its LevelDB stores apart), this project's code, Node's own, idle.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a sampled frame belongs: `dynalite` (with the level stores), another package, `project`, `node`, `idle`. */
function bucketOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collector';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return /^(dynalite|.*level.*|lazy|once)$/.test(pkg) ? 'dynalite (+ LevelDB stores)' : pkg;
  if (url.includes('/work/') || url.startsWith('file://')) return 'project';
  return 'node (internals, http, timers)';
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by bucket, largest first. */
  buckets: Array<{ bucket: string; ms: number; share: number }>;
}

/** Runs `fn` under the profiler; writes the raw profile to `file` (for a viewer) and returns the summary. */
export async function profiled<T>(file: string, fn: () => Promise<T>): Promise<{ value: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const stop = async (): Promise<Profile> => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return profile;
  };
  const value = await fn().catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { value, summary: summarize(await stop()) };
}

export function summarize(profile: Profile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += dt;
    const bucket = bucketOf(byId.get(id)!);
    ms.set(bucket, (ms.get(bucket) ?? 0) + dt);
  });
  const buckets = [...ms.entries()]
    .map(([bucket, t]) => ({ bucket, ms: t, share: t / totalMs }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs, buckets };
}
