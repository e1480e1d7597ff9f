// Each Lambda's bundle (esbuild as a deployment would build it: the stack's target, main fields and external
// credential sources, minified CJS) and its module init time: require() of the bundle in a fresh node process, median of
// several runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ALL_TABLES } from '../lambdas/shared/tables';
import { ESBUILD_TARGET, MAIN_FIELDS, UNUSED_CREDENTIAL_SOURCES } from '../lib/constructs/functions';

export const HANDLERS = ['planner', 'worker', 'api'] as const;
const INIT_RUNS = 5;

export interface BundleResult {
  name: string;
  bytes: number;
  gzipBytes: number;
  initMsMedian: number;
  initMsRuns: number[];
}

/** Dummy values: enough for module init, never used to reach anything. */
function handlerEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `bench-${t.id}`])),
    VENDOR_KEY_SECRET_ID: 'bench/vendor-key',
    PARTNER_SECRET_PREFIX: 'bench/partner/',
    GRADIENT_BASE_URL: 'http://127.0.0.1:9',
    QUEUE_URL: 'http://127.0.0.1:9/000000000000/bench',
    POWERTOOLS_METRICS_NAMESPACE: 'Bench',
    POWERTOOLS_SERVICE_NAME: 'bench',
  };
}

export async function measureBundles(outDir: string): Promise<BundleResult[]> {
  const dir = resolve(outDir, 'bundles');
  mkdirSync(dir, { recursive: true });
  const results: BundleResult[] = [];
  for (const name of HANDLERS) {
    const outfile = join(dir, `${name}.js`);
    await build({
      entryPoints: [resolve('lambdas/handlers', `${name}.ts`)],
      outfile,
      platform: 'node',
      target: ESBUILD_TARGET,
      mainFields: MAIN_FIELDS,
      external: UNUSED_CREDENTIAL_SOURCES,
      bundle: true,
      minify: true,
      format: 'cjs',
      logLevel: 'error',
    });
    const code = `const t=performance.now();require(${JSON.stringify(outfile)});process.stdout.write(String(performance.now()-t))`;
    const runs = Array.from({ length: INIT_RUNS }, () =>
      Number(execFileSync(process.execPath, ['-e', code], { env: handlerEnv(), encoding: 'utf8', timeout: 60_000 })),
    );
    const sorted = [...runs].sort((a, b) => a - b);
    results.push({
      name,
      bytes: statSync(outfile).size,
      gzipBytes: gzipSync(readFileSync(outfile)).length,
      initMsMedian: sorted[Math.floor(sorted.length / 2)]!,
      initMsRuns: runs,
    });
  }
  return results;
}
