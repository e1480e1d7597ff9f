// Run history a page at a time on the local stack, through the real API handler over HTTP and the
// DynamoDB run repository: pages of two follow one another by `nextCursor` without gaps or repeats, skipping the
// items kept beside the runs (the lease); a cursor that is not one is refused.
import { saveConnection } from '../../lambdas/core/connection';
import { emptySummary, type Run } from '../../lambdas/core/model';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startStackApi } from '../support/stack-api';

const PARTNER = 'msp-paging';
const RUN_IDS = [
  '20260101T000000Z-a',
  '20260102T000000Z-b',
  '20260103T000000Z-c',
  '20260104T000000Z-d',
  '20260105T000000Z-e',
];

let stack: LocalStack;
let api: ApiServer;

async function page(query: string) {
  const res = await fetch(`${api.url}/v1/partners/${PARTNER}/runs${query}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as { runs?: Array<{ runId: string }>; nextCursor?: string } };
}

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { rateLimit: false } });
  api = await startStackApi(stack, 'paging');
  stack.emulator!.addPartner({ partnerApiKey: 'paging-partner-key-0123456789', organizationName: 'Paging MSP' });
  await saveConnection(stack.deps, PARTNER, { partnerApiKey: 'paging-partner-key-0123456789', roundingPolicy: 'up' });
  for (const runId of RUN_IDS) {
    const run: Run = {
      runId,
      partnerId: PARTNER,
      period: '2026-01',
      asOf: '2026-01-05',
      full: false,
      trigger: 'resync',
      status: 'succeeded',
      queuedAt: '2026-01-05T00:00:00.000Z',
      deliveries: 1,
      continuations: 0,
      summary: emptySummary(),
    };
    await stack.deps.runs.create(run);
  }
  // An item beside the runs in the same partition: never listed as a run.
  await stack.deps.runs.leasePartner(
    PARTNER,
    { runId: RUN_IDS[0] as string, until: '2099-01-01T00:00:00.000Z' },
    '2026-01-05T00:00:00.000Z',
  );
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

it('pages through every run newest first, two at a time, ending without a cursor', async () => {
  const seen: string[][] = [];
  let cursor: string | undefined;
  do {
    const { status, body } = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    expect(status).toBe(200);
    seen.push((body.runs ?? []).map((r) => r.runId));
    cursor = body.nextCursor;
  } while (cursor !== undefined && seen.length < 10);
  expect(seen).toEqual([
    ['20260105T000000Z-e', '20260104T000000Z-d'],
    ['20260103T000000Z-c', '20260102T000000Z-b'],
    ['20260101T000000Z-a'],
  ]);
});

it('ends on a full last page without a cursor', async () => {
  const first = await page('?limit=5');
  expect(first.body.runs).toHaveLength(5);
  expect(first.body.nextCursor).toBeUndefined();
});

it('refuses a cursor it did not answer, changing nothing', async () => {
  expect((await page('?cursor=not-a-cursor')).status).toBe(400);
  const otherList = Buffer.from(JSON.stringify({ list: 'partners', runId: 'x' })).toString('base64url');
  expect((await page(`?cursor=${otherList}`)).status).toBe(400);
  expect((await page('?cursor=a%2Bb')).status).toBe(400);
});
