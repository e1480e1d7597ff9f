// pushLines on its own: what each of Gradient's answers makes of a line (receipt, held value, refusal, left open),
// the one billing rebuild per run, and the deadline and the rejected key stopping what is not yet started.
import { callerFor } from '../../../../lambdas/core/calls/caller';
import { GradientKeyRejectedError, GradientServerError } from '../../../../lambdas/core/errors';
import type { ComputedLine } from '../../../../lambdas/core/model';
import type { LineToSend } from '../../../../lambdas/core/sync/decide';
import { closeOpenLines, type PushInput, pushLines } from '../../../../lambdas/core/sync/push';
import { FakeGradient, type MemoryDeps, memoryDeps } from '../../../support/memory-deps';

const PARTNER = 'msp-1';
const RUN = '20261126T020000Z-n-nightly';

const line = (accountId: string, serviceKey: string, pushed: number): ComputedLine => ({
  accountId,
  serviceKey,
  computed: pushed,
  pushed,
  roundingDelta: 0,
});
const toSend = (accountId: string, serviceKey: string, pushed: number, extra: Partial<LineToSend> = {}) => ({
  line: line(accountId, serviceKey, pushed),
  serviceId: `sku-${serviceKey}`,
  mappedSince: '2026-11-01T00:00:00.000Z',
  ...extra,
});

/** Gradient with accounts a1…a4 mapped and the services seats and storage mapped. */
function gradient(): FakeGradient {
  const g = new FakeGradient();
  for (const id of ['a1', 'a2', 'a3', 'a4']) g.accounts.set(id, { id, name: id, isMapped: true });
  g.mappedServices.add('sku-seats');
  g.mappedServices.add('sku-storage');
  return g;
}

function input(deps: MemoryDeps, g: FakeGradient, lines: LineToSend[], extra: Partial<PushInput> = {}): PushInput {
  const deadline = deps.clock.now().getTime() + 60_000;
  return {
    partnerId: PARTNER,
    period: '2026-11',
    runId: RUN,
    gradient: g,
    maxInFlight: 1,
    deadline,
    lines,
    call: callerFor(deps, {
      gate: { acquire: async () => {}, penalize: () => {} },
      deadline,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      random: () => 0.5,
    }),
    ...extra,
  };
}

describe('pushing lines to Gradient', () => {
  it('records an accepted line as held, with its receipt, and asks for one billing rebuild: the last count', async () => {
    const deps = memoryDeps();
    const g = gradient();
    const lines = [toSend('a1', 'seats', 10), toSend('a2', 'seats', 4), toSend('a1', 'storage', 5)];
    const result = await pushLines(deps, input(deps, g, lines));

    expect(result).toMatchObject({ sent: 3, leftOpen: [], reachedDeadline: false, authRejected: false });
    expect(result.receipts.map((r) => [r.accountId, r.serviceKey, r.outcome, r.attempts]).sort()).toEqual([
      ['a1', 'seats', 'accepted', 1],
      ['a1', 'storage', 'accepted', 1],
      ['a2', 'seats', 'accepted', 1],
    ]);
    expect(g.counts.map((c) => c.noBuild)).toEqual([true, true, false]);
    expect(deps.state.held.get('msp-1|a2|seats')).toMatchObject({
      value: 4,
      period: '2026-11',
      runId: RUN,
      serviceId: 'sku-seats',
      mappedSince: '2026-11-01T00:00:00.000Z',
    });
    expect(await deps.runs.listReceipts(PARTNER, RUN)).toHaveLength(3);
  });

  it('keeps a 404 as a refusal and a not_mapped receipt, and forgets a refusal once the line is accepted', async () => {
    const deps = memoryDeps();
    const g = gradient();
    g.accounts.get('a3')!.isMapped = false;
    await deps.held.putRefusal({
      partnerId: PARTNER,
      accountId: 'a1',
      serviceKey: 'seats',
      value: 9,
      serviceId: 'sku-seats',
      refusedAt: '2026-11-20T02:00:00.000Z',
    });
    const lines = [toSend('a3', 'seats', 7), toSend('a1', 'seats', 10, { wasRefused: true })];
    const result = await pushLines(deps, input(deps, g, lines));

    const byAccount = new Map(result.receipts.map((r) => [r.accountId, r]));
    expect(byAccount.get('a3')).toMatchObject({ outcome: 'not_mapped', httpStatus: 404 });
    expect(deps.state.refusals.get('msp-1|a3|seats')).toMatchObject({ value: 7, serviceId: 'sku-seats' });
    expect(deps.state.held.has('msp-1|a3|seats')).toBe(false);
    expect(byAccount.get('a1')).toMatchObject({ outcome: 'accepted' });
    expect(deps.state.refusals.has('msp-1|a1|seats')).toBe(false);
  });

  it('leaves a line that kept failing with a retryable error open for the redelivery, without a receipt', async () => {
    const deps = memoryDeps();
    const g = gradient();
    g.beforeCall = (route) => {
      if (route === 'setUnitCount' && g.calls.filter((c) => c === 'setUnitCount').length <= 2) {
        throw new GradientServerError('Service Unavailable', 503);
      }
    };
    const lines = [toSend('a1', 'seats', 10), toSend('a2', 'seats', 4)];
    const result = await pushLines(deps, input(deps, g, lines));

    // The first line failed both its attempts; the second was accepted at once.
    expect(result.leftOpen.map((i) => i.line.accountId)).toEqual(['a1']);
    expect(result.receipts.map((r) => r.accountId)).toEqual(['a2']);
    expect(result.sent).toBe(2);

    // Closed as failed when no delivery will come after this one.
    const closed = await closeOpenLines(deps, input(deps, g, []), result.leftOpen);
    expect(closed).toEqual([expect.objectContaining({ accountId: 'a1', outcome: 'failed' })]);
    expect((await deps.runs.listReceipts(PARTNER, RUN)).map((r) => r.outcome).sort()).toEqual(['accepted', 'failed']);
  });

  it('stops at a rejected key and closes every line not yet started as auth_failed', async () => {
    const deps = memoryDeps();
    const g = gradient();
    g.beforeCall = (route) => {
      if (route === 'setUnitCount' && g.calls.filter((c) => c === 'setUnitCount').length === 2) {
        throw new GradientKeyRejectedError('Unauthorized', 401);
      }
    };
    const lines = [
      toSend('a1', 'seats', 1),
      toSend('a2', 'seats', 2),
      toSend('a3', 'seats', 3),
      toSend('a4', 'seats', 4),
    ];
    const result = await pushLines(deps, input(deps, g, lines));

    expect(result.authRejected).toBe(true);
    expect(g.calls.filter((c) => c === 'setUnitCount')).toHaveLength(2);
    const outcomes = new Map(result.receipts.map((r) => [r.accountId, r.outcome]));
    expect(Object.fromEntries(outcomes)).toEqual({
      a1: 'accepted',
      a2: 'auth_failed',
      a3: 'auth_failed',
      a4: 'auth_failed',
    });
    expect(result.receipts.find((r) => r.accountId === 'a4')).toMatchObject({ attempts: 0 });
  });

  it('starts nothing at or past the deadline: every line stays open', async () => {
    const deps = memoryDeps();
    const g = gradient();
    const lines = [toSend('a1', 'seats', 1), toSend('a2', 'seats', 2)];
    const result = await pushLines(deps, input(deps, g, lines, { deadline: deps.clock.now().getTime() }));

    expect(result).toMatchObject({ sent: 0, receipts: [], reachedDeadline: true });
    expect(result.leftOpen).toHaveLength(2);
    expect(g.counts).toEqual([]);
  });

  it('fails the delivery, not the line, when the accepted value cannot be recorded', async () => {
    const deps = memoryDeps();
    const g = gradient();
    deps.held.put = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await expect(pushLines(deps, input(deps, g, [toSend('a1', 'seats', 1)]))).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(await deps.runs.listReceipts(PARTNER, RUN)).toEqual([]);
  });
});
