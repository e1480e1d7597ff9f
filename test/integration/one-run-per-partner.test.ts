// One run per partner at a time on the real local stack: two worker handlers (two Lambda instances) consume
// one queue holding two runs of one partner. The second waits — its message comes back later, not as a failed
// delivery — so their pushes never overlap, both succeed, and Gradient ends with the last run's values.
import { enqueueRun } from '../../lambdas/core/sync/enqueue';
import type { LocalStack } from '../../local/stack';
import { faultWorker, PARTNER, type SeededPartner, seedPartner, startFaultStack } from '../support/fault-helpers';

let s: LocalStack;
let seeded: SeededPartner;
beforeAll(async () => {
  // maxReceiveCount 2: a run that waited by failing its delivery would be dead-lettered after one more wait.
  s = await startFaultStack({
    queue: { maxReceiveCount: 2, maxDelayMs: 10 },
    emulator: { latencyMs: { min: 2, max: 5 } },
  });
  seeded = await seedPartner(s);
});
afterAll(async () => {
  await s?.close();
});

describe('two runs of one partner queued for two workers', () => {
  it('runs them one after the other: no overlap of their pushes, both succeed, the last one’s values stay', async () => {
    const send = jest.spyOn(s.queue, 'send');
    const queuedAt = new Date();
    const base = { partnerId: PARTNER, period: '2026-11', full: true, trigger: 'resync' as const, queuedAt };
    // Scans are a sum of a snapshot on Nov 3 (i) and one on Nov 9 (2): as of Nov 5 a line is worth 2 less.
    const early = await enqueueRun(s.deps, { ...base, runId: '20261205T020000Z-r-early001', asOf: '2026-11-05' });
    const late = await enqueueRun(s.deps, { ...base, runId: '20261205T020001Z-r-late0001', asOf: '2026-11-30' });

    await s.queue.drain([faultWorker(s), faultWorker(s)]);

    const runs = await Promise.all([early, late].map((r) => s.deps.runs.get(PARTNER, r.runId)));
    expect(runs.map((r) => [r?.status, r?.deliveries])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
    ]);
    expect(s.queue.deadLetters).toEqual([]);
    // The run that found its partner busy waited: its message was sent again with a delay.
    expect(send.mock.calls.some(([, options]) => (options?.delaySeconds ?? 0) > 0)).toBe(true);

    // Which ran first, by the runs' own records; then Gradient's arrival times of the scans counts, told
    // apart by value (i as of Nov 5, i + 2 as of Nov 30): every count of the first before any of the second.
    const [first, second] = [...runs].sort((a, b) => a!.startedAt!.localeCompare(b!.startedAt!));
    expect(first!.finishedAt! <= second!.startedAt!).toBe(true);
    const asOfNov5 = (value: number) => value - 2;
    const scans = seeded.sendable.filter((l) => l.serviceKey === 'scans');
    const scansId = seeded.serviceIds.get('scans');
    const arrivals = (asOf: string) =>
      s
        .emulator!.counts()
        .filter((c) => c.organizationId === seeded.organizationId && c.serviceId === scansId)
        .filter((c) => {
          const line = scans.find((l) => l.accountId === c.accountId)!;
          return c.unitCount === (asOf === '2026-11-05' ? asOfNov5(line.value) : line.value);
        })
        .map((c) => c.at)
        .sort();
    const firstArrivals = arrivals(first!.asOf);
    const secondArrivals = arrivals(second!.asOf);
    expect(firstArrivals).toHaveLength(scans.length);
    expect(secondArrivals).toHaveLength(scans.length);
    expect(firstArrivals.at(-1)! <= secondArrivals[0]!).toBe(true);

    // What Gradient holds at the end: every sendable line at the value of the run that ran last.
    const expected = seeded.sendable
      .map((l) => [
        `${l.accountId}/${seeded.serviceIds.get(l.serviceKey)}`,
        l.serviceKey === 'scans' && second!.asOf === '2026-11-05' ? asOfNov5(l.value) : l.value,
      ])
      .sort();
    const held = s
      .emulator!.currentCounts()
      .filter((c) => c.organizationId === seeded.organizationId)
      .map((c) => [`${c.accountId}/${c.serviceId}`, c.unitCount])
      .sort();
    expect(held).toEqual(expected);
  });
});
