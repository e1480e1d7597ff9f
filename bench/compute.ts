// Runs bench/compute-child.ts in a fresh node process (with --expose-gc, through tsx) and returns its figures.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export type ComputeMode = 'throughput' | 'large-month' | 'large-90d';

export function runComputeChild<T>(mode: ComputeMode): Promise<T> {
  const args = ['--expose-gc', '--import', 'tsx', resolve('bench/compute-child.ts'), mode];
  return new Promise((done, fail) => {
    execFile(process.execPath, args, { encoding: 'utf8', timeout: 180_000, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) return fail(error);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        done(JSON.parse(last) as T);
      } catch {
        fail(new Error(`compute child (${mode}) printed no result: ${last.slice(0, 200)}`));
      }
    });
  });
}
