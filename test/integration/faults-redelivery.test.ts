// Fault tests, delivery side: a worker that fails or dies half-way and the message's redelivery, and the same
// message delivered twice at once. Each ends with the shared run invariants (test/support/fault-helpers.ts).
import type { LocalStack } from '../../local/stack';
import {
  deliver,
  expectRunInvariants,
  faultWorker,
  forgetHeld,
  interceptCounts,
  mark,
  nextTick,
  nightly,
  PARTNER,
  requestOf,
  type SeededPartner,
  seedPartner,
  startFaultStack,
  waitFor,
} from '../support/fault-helpers';

let s: LocalStack;
let seeded: SeededPartner;
beforeAll(async () => {
  s = await startFaultStack();
  seeded = await seedPartner(s);
});
afterAll(async () => {
  await s?.close();
});

describe('the nightly when a delivery fails half-way', () => {
  it('resumes on redelivery after the worker throws past half the lines, sending only the rest', async () => {
    const half = Math.floor(seeded.sent / 2);
    let crashed = false;
    const { deps } = interceptCounts(s.deps, {
      before: (accepted) => {
        if (accepted >= half && !crashed) {
          crashed = true;
          throw new Error('worker crashed');
        }
      },
    });
    const { runId, before } = await nightly(s, faultWorker(s, {}, deps));

    expect(crashed).toBe(true);
    const { run } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(2);
    expect(run.summary.accepted).toBe(seeded.sendable.length);
    expect(s.queue.deadLetters).toHaveLength(0);
  });

  it('resumes a run whose worker died (left running, lease expired) when the same message comes again', async () => {
    const half = Math.floor(seeded.sent / 2);
    // The process "dies" once `half` counts were accepted: every later call never returns.
    const dead = interceptCounts(s.deps, {
      before: (accepted) => (accepted >= half ? new Promise<void>(() => {}) : undefined),
    });
    const countRequests = () =>
      s.emulator!.requestLog().filter((e) => e.route === '/api/vendor-api/service/:serviceId/count').length;
    await forgetHeld(s);
    const before = mark(s);
    const plan = await s.planner(nextTick());
    const request = await requestOf(s, plan.runId);
    const requestsBefore = countRequests();
    // A short Lambda timeout, no safety margin: the dead invocation is ended by its timeout, as in Lambda.
    const dying = deliver(faultWorker(s, { safetyMarginMs: 0 }, dead.deps), request, 'first-delivery', 4_000);
    // Dead for good: nothing in flight, and every answer Gradient gave is recorded (so nothing is ambiguous).
    const neverSent = seeded.lines.length - seeded.sent;
    await waitFor(
      async () =>
        countRequests() - requestsBefore >= half &&
        dead.inFlight() === 0 &&
        (await s.deps.runs.listReceipts(PARTNER, plan.runId)).length === neverSent + countRequests() - requestsBefore,
    );
    await expect(dying).rejects.toThrow(/aborted/);
    const stuck = await s.deps.runs.get(PARTNER, plan.runId);
    expect(stuck?.status).toBe('running');
    expect(Date.parse(stuck!.leaseUntil!)).toBeGreaterThan(Date.now());

    // What the lease's grace period does with time; then SQS delivers the same message again.
    await s.deps.runs.update(PARTNER, plan.runId, { leaseUntil: new Date(Date.now() - 1).toISOString() });
    await s.queue.drain(faultWorker(s)); // the planner's own message, still in the queue: the redelivery

    const { run } = await expectRunInvariants(s, seeded, plan.runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(2);
    expect(run.summary.accepted).toBe(seeded.sendable.length);
  });
});

describe('the same message delivered twice', () => {
  it('lets one concurrent delivery run and fails the other as busy; the late duplicate is a no-op', async () => {
    await forgetHeld(s);
    const before = mark(s);
    const plan = await s.planner(nextTick());
    const request = await requestOf(s, plan.runId);
    // Two copies at once go to two Lambda instances (one handler serves one invocation at a time).
    const worker = faultWorker(s);
    const [a, b] = await Promise.all([deliver(worker, request, 'copy-a'), deliver(faultWorker(s), request, 'copy-b')]);

    const failures = [...(a?.batchItemFailures ?? []), ...(b?.batchItemFailures ?? [])].map((f) => f.itemIdentifier);
    expect(failures).toHaveLength(1);
    const afterFirst = s.emulator!.counts().length;

    // The busy copy (and the planner's own message) come back later: the run is finished, nothing is sent.
    await s.queue.drain(worker);
    expect(await deliver(worker, request, failures[0]!)).toEqual({ batchItemFailures: [] });
    expect(s.emulator!.counts().length).toBe(afterFirst);

    const { run } = await expectRunInvariants(s, seeded, plan.runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(1);
    expect(run.summary.accepted).toBe(seeded.sendable.length);
  });

  it('runs the nightly once when the planner is invoked twice for the same tick', async () => {
    await forgetHeld(s);
    const before = mark(s);
    const tick = nextTick();
    const first = await s.planner(tick);
    const second = await s.planner(tick);
    expect(second.runId).toBe(first.runId);
    await s.queue.drain(faultWorker(s));

    const { run } = await expectRunInvariants(s, seeded, first.runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.deliveries).toBe(1);
  });
});
