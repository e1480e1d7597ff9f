// `npm start`: one nightly sync on the embedded local stack, told as it goes — a line per MSP as its run ends —
// and, when it cannot do anything useful (Gradient unreachable, nothing seeded and nothing connected), one line
// saying why instead of a report that looks like success.
import { isRunFinished } from '../lambdas/core/model';
import type { PlanResult } from '../lambdas/core/sync/plan';
import { seedDemo } from './demo';
import { printReport } from './report';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack';

export interface LocalSyncOptions
  extends Pick<LocalStackOptions, 'gradientBaseUrl' | 'vendorApiKey' | 'emulator' | 'env'> {
  dataDir: string;
  out?: (line: string) => void;
  /** How often the progress lines look for ended runs. */
  pollMs?: number;
}

const PROBE_TIMEOUT_MS = 5000;

export async function runLocalSync(options: LocalSyncOptions): Promise<number> {
  const started = Date.now();
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stack = await startLocalStack({
    dataDir: options.dataDir,
    ...(options.gradientBaseUrl && { gradientBaseUrl: options.gradientBaseUrl }),
    ...(options.vendorApiKey && { vendorApiKey: options.vendorApiKey }),
    ...(options.emulator && { emulator: options.emulator }),
    ...(options.env && { env: options.env }),
  });
  try {
    if (!stack.emulator) {
      const cause = await unreachable(stack.gradientUrl);
      if (cause) {
        out(`Gradient at ${stack.gradientUrl} cannot be reached (${cause}): nothing was synced.`);
        out('Check GRADIENT_BASE_URL, or unset it to use the built-in Gradient emulator.');
        return 1;
      }
    }
    const seeded = stack.emulator ? await seedDemo(stack.deps, stack.emulator) : undefined;
    const partners: string[] = [];
    for await (const p of stack.deps.partners.listSyncEnabled()) partners.push(p.partnerId);
    if (partners.length === 0) {
      out(
        stack.emulator
          ? `No MSP is connected in ${options.dataDir}: nothing to sync (delete the folder to seed the demo again).`
          : `Not seeding the demo: it needs the built-in Gradient emulator, and GRADIENT_BASE_URL points at ` +
              `${stack.gradientUrl}. No MSP is connected in ${options.dataDir}, so there is nothing to sync: ` +
              'connect one through the API of npm run dev first.',
      );
      return 1;
    }
    const gradientBefore = stack.emulator?.stats();
    const plan = await stack.planner();
    out(`syncing ${partners.length} MSPs for ${plan.period} (run ${plan.runId}) …`);
    const progress = reportRunsAsTheyEnd(stack, plan, partners, out, options.pollMs ?? 200);
    await stack.queue.drain(stack.workers);
    await progress.stop();
    out('');
    return await printReport(
      {
        stack,
        dataDir: options.dataDir,
        seeded,
        plan,
        partners,
        gradientBefore,
        seconds: (Date.now() - started) / 1000,
      },
      out,
    );
  } finally {
    await stack.close();
  }
}

/** Why nothing answers at `url` (any HTTP answer is an answer), or undefined when something does. */
async function unreachable(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return undefined;
  } catch (error) {
    // Duck-typed: fetch's errors may come from another realm (under jest), where instanceof Error fails.
    const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
    return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
  }
}

/** Prints `  <MSP>  <status>, <n> lines, <n> sent` for each partner's run once it ends; `stop` prints the rest. */
function reportRunsAsTheyEnd(
  stack: LocalStack,
  plan: PlanResult,
  partners: string[],
  out: (line: string) => void,
  pollMs: number,
): { stop(): Promise<void> } {
  const pending = new Set(partners);
  const look = async () => {
    for (const partnerId of [...pending]) {
      const run = await stack.deps.runs.get(partnerId, plan.runId);
      if (!run || !isRunFinished(run.status)) continue;
      pending.delete(partnerId);
      const name = (await stack.deps.partners.get(partnerId))?.organizationName ?? partnerId;
      const error = run.error ? ` (${run.error.code})` : '';
      out(`  ${name}  ${run.status}${error}, ${run.summary.lines} lines, ${run.summary.sent} sent`);
    }
  };
  let stopped = false;
  const loop = (async () => {
    while (!stopped && pending.size > 0) {
      await new Promise((r) => setTimeout(r, pollMs));
      await look();
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await look();
    },
  };
}
