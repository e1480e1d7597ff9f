// What the browser tests share: Debian's Chromium through playwright-core (headless, off the network, a fresh
// profile), the local stack with the API and console served as `npm run dev` serves them, axe-core injected
// into a page, screenshots under .browser-screenshots/ (git-ignored), and the page's console errors collected.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { RunListView } from '../../client/types';
import { buildConsole } from '../../console/build';
import { isRunFinished } from '../../lambdas/core/model';
import { createApiHandler } from '../../lambdas/handlers/api/app';
import { type ApiServer, startApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { testMetrics } from '../unit/handlers/api/support';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '.browser-screenshots');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'gbs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 900 },
    locale: 'en-GB',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ServedStack {
  stack: LocalStack;
  api: ApiServer;
  close(): Promise<void>;
}

/** The local stack in memory with the API and the console on one port, resyncs run as they are queued. */
export async function startServedStack(): Promise<ServedStack> {
  const stack = await startLocalStack();
  stack.queue.startAutoDrain(stack.worker);
  const handler = createApiHandler(async () => ({ ...stack.apiProcess, deps: stack.deps }), {
    logger: new Logger({ serviceName: 'browser', logLevel: 'SILENT' }),
    metrics: testMetrics(false),
  });
  const api = await startApiServer({ port: 0, handler: handler as never, console: await buildConsole() });
  return {
    stack,
    api,
    close: async () => {
      await api.close();
      await stack.close();
    },
  };
}

/**
 * Everything the page wrote to its console, and its uncaught errors. Chromium also reports each 4xx answer as a
 * console error ("Failed to load resource"); `expected` lists the answers the page handles by design (e.g. 404
 * for a partner never connected), which are left out of `errors` only for those exact URLs and statuses.
 */
export function watchConsole(
  page: Page,
  expected: Array<{ status: number; url: RegExp }> = [],
): { errors: string[]; messages: string[] } {
  const seen = { errors: [] as string[], messages: [] as string[] };
  page.on('console', (m) => {
    seen.messages.push(m.text());
    if (m.type() !== 'error') return;
    const failed = /^Failed to load resource: the server responded with a status of (\d{3})/.exec(m.text());
    const url = m.location().url;
    if (failed && expected.some((e) => e.status === Number(failed[1]) && e.url.test(url))) return;
    seen.errors.push(`${m.text()} ${url}`);
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (evaluated outside the page's CSP). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  )) as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the partner's latest run (a resync just queued, say) has finished. */
export async function waitForLatestRun(served: ServedStack, partnerId: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${served.api.url}/v1/partners/${partnerId}/runs?limit=1`);
    const { runs } = (await res.json()) as RunListView;
    if (runs[0] && isRunFinished(runs[0].status)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
