// The local stack resumes what an earlier process left open: a run that was pushing when the process died
// (still `running`, its leases live) and a run still `queued` both finish once a new stack starts on the same
// data folder, with the values Gradient holds computed here, independently of the sync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack } from '../../local/stack';
import {
  deliver,
  faultWorker,
  interceptCounts,
  nextTick,
  PARTNER,
  requestOf,
  seedPartner,
  startFaultStack,
  waitFor,
} from '../support/fault-helpers';

let dataDir: string;
const stacks: LocalStack[] = [];
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'resume-on-start-'));
});
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close().catch(() => undefined)));
  await rm(dataDir, { recursive: true, force: true });
});

describe('starting the local stack on a data folder with open runs', () => {
  it('redelivers a run left running and one left queued, and both finish with the right values', async () => {
    const first = await startFaultStack({ dataDir });
    stacks.push(first);
    const seeded = await seedPartner(first);
    const half = Math.floor(seeded.sent / 2);
    // The process dies once `half` counts were accepted: every later call never returns.
    const dead = interceptCounts(first.deps, {
      before: (accepted) => (accepted >= half ? new Promise<void>(() => {}) : undefined),
    });
    const pushing = await first.planner(nextTick());
    const queued = await first.planner(nextTick());
    const dying = deliver(
      faultWorker(first, { safetyMarginMs: 0 }, dead.deps),
      await requestOf(first, pushing.runId),
      'first-delivery',
      4_000, // long enough to reach `half` before the deadline (no call starts after it)
    );
    await waitFor(
      async () =>
        dead.inFlight() === 0 &&
        (await first.deps.runs.listReceipts(PARTNER, pushing.runId)).filter((r) => r.outcome === 'accepted').length >=
          half,
    );
    await expect(dying).rejects.toThrow(/aborted/);
    const stuck = await first.deps.runs.get(PARTNER, pushing.runId);
    expect(stuck?.status).toBe('running');
    expect(Date.parse(stuck!.leaseUntil!)).toBeGreaterThan(Date.now());
    await first.close();
    stacks.pop();

    const second = await startFaultStack({ dataDir, queue: { maxDelayMs: 10 } });
    stacks.push(second);
    expect([...second.resumed].sort()).toEqual([pushing.runId, queued.runId].sort());
    await second.queue.drain(second.worker);

    // Each run settles every sendable line: sent and accepted, or found already held (the other run, which ran
    // first under the partner lease, put the same value there).
    for (const runId of [pushing.runId, queued.runId]) {
      const run = await second.deps.runs.get(PARTNER, runId);
      expect(run).toMatchObject({ status: 'succeeded', summary: { failed: 0 } });
      expect(run!.summary.accepted + run!.summary.unchanged).toBe(seeded.sendable.length);
    }
    expect(second.queue.deadLetters).toEqual([]);
    const expected = seeded.sendable.map((l) => [`${l.accountId}/${seeded.serviceIds.get(l.serviceKey)}`, l.value]);
    const held = second
      .emulator!.currentCounts()
      .filter((c) => c.organizationId === seeded.organizationId)
      .map((c) => [`${c.accountId}/${c.serviceId}`, c.unitCount]);
    expect(held.sort()).toEqual(expected.sort());
    // Nothing is left open for a third start.
    const open: string[] = [];
    for await (const run of second.deps.runs.listOpen()) open.push(run.runId);
    expect(open).toEqual([]);
  });
});
