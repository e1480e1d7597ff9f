// No handler logs its event, even with POWERTOOLS_LOGGER_LOG_EVENT=true: an API event carries a Partner API key in
// its body, and a key in any event must never reach a log line. The process logger reads the variable when it is
// built, so each handler module is loaded fresh after setting it.
import type { Context } from 'aws-lambda';
import event from '../../fixtures/api-gateway-proxy-event.json';

const KEY = 'pk-live-logevent-7f3a9c2e5b1d4a60';

const level = process.env.POWERTOOLS_LOG_LEVEL;
let chunks: string[] = [];
beforeEach(() => {
  chunks = [];
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0);
  }
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  process.env.POWERTOOLS_LOG_LEVEL = level;
});

/**
 * The module loaded after POWERTOOLS_LOGGER_LOG_EVENT was set, with its own process logger (and its own copy of
 * every module it imports: load the in-memory deps with it, so error classes match).
 */
async function fresh<T>(load: () => Promise<T>): Promise<T> {
  let loaded: T | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await load();
  });
  return loaded as T;
}

const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as Context;
const written = () => chunks.join('');

it('the API handler does not log its event', async () => {
  const [{ createApiHandler }, { memoryDeps }] = await fresh(() =>
    Promise.all([import('../../../lambdas/handlers/api/app'), import('../../support/memory-deps')]),
  );
  const handler = createApiHandler(async () => ({ deps: memoryDeps(), settings: { resync: { maxClosedPeriods: 1 } } }));
  const request = {
    ...event,
    httpMethod: 'POST',
    path: '/v1/partners/msp-1/connection/test',
    headers: { ...event.headers, 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ partnerApiKey: KEY }),
  };
  const res = await handler(request as never, context);
  expect(res.statusCode).toBe(200);
  expect(written()).toContain('"request"');
  expect(written()).not.toContain(KEY);
});

it('the worker handler does not log its event', async () => {
  const [{ createWorkerHandler }, { workerProcess }, { memoryDeps }] = await fresh(() =>
    Promise.all([
      import('../../../lambdas/handlers/worker'),
      import('../../../lambdas/wiring'),
      import('../../support/memory-deps'),
    ]),
  );
  const config = { GRADIENT_RATE_BUDGET: 10, WORKER_MAX_CONCURRENCY: 1 } as never;
  const worker = workerProcess(config, { deps: memoryDeps() });
  const handler = createWorkerHandler(async () => worker);
  const record = { messageId: 'm-1', body: `not a sync message ${KEY}`, attributes: { ApproximateReceiveCount: '1' } };
  const res = await handler({ Records: [record] } as never, context);
  expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  expect(written()).toContain('invalid sync message');
  expect(written()).not.toContain(KEY);
});

it('the planner handler does not log its event', async () => {
  const [{ createPlannerHandler }, { memoryDeps }] = await fresh(() =>
    Promise.all([import('../../../lambdas/handlers/planner'), import('../../support/memory-deps')]),
  );
  const handler = createPlannerHandler(async () => memoryDeps());
  await handler({ scheduledTime: '2026-11-26T02:00:00Z', note: KEY } as never, context).catch(() => undefined);
  expect(written()).not.toContain(KEY);
});
