// Fault tests for long runs: a run bigger than one (simulated, 2 s) Lambda invocation hands over to continuation
// messages until it is done; a continuation that crashes is redelivered and resumes; a second copy of a
// continuation sends nothing twice and the run ends once. Each ends with the shared run invariants.
import type { AppDeps } from '../../lambdas/core/ports';
import type { WorkerHandler } from '../../local/in-process-queue';
import type { LocalStack } from '../../local/stack';
import {
  expectRunInvariants,
  faultWorker,
  forgetHeld,
  interceptCounts,
  mark,
  nextTick,
  PARTNER,
  type SeededPartner,
  seedPartner,
  startFaultStack,
  workerRate,
} from '../support/fault-helpers';

let s: LocalStack;
let seeded: SeededPartner;
beforeAll(async () => {
  // The simulated Lambda timeout through the local stack's variable: a 200 ms margin, 1.8 s of sending each.
  s = await startFaultStack({ env: { LOCAL_WORKER_TIMEOUT_S: '2' } });
  seeded = await seedPartner(s);
});
afterAll(async () => {
  await s?.close();
});

/** 15 counts a second: the partner's ~57 counts take about four deliveries of 1.8 s. */
const SLOW = { rate: workerRate(15) };
const COUNT_ROUTE = '/api/vendor-api/service/:serviceId/count';
const body = (event: Parameters<WorkerHandler>[0]) => JSON.parse(event.Records[0]!.body) as { continuation?: number };

/** The nightly through the real planner and queue, delivered to `workers` (Lambda instances) until done. */
async function longNightly(workers: WorkerHandler[]) {
  await forgetHeld(s);
  const before = mark(s);
  const plan = await s.planner(nextTick());
  await s.queue.drain(workers);
  const observed = await expectRunInvariants(s, seeded, plan.runId, before);
  // No line went out twice: one request per line sent, none retried (no fault touches Gradient here).
  expect(observed.requests.filter((e) => e.route === COUNT_ROUTE)).toHaveLength(seeded.sent);
  expect(observed.run.status).toBe('succeeded');
  expect(observed.run.summary.accepted).toBe(seeded.sendable.length);
  expect(s.queue.deadLetters).toHaveLength(0);
  return observed.run;
}

describe('a run longer than one delivery', () => {
  it('finishes succeeded over several continuations, each handed over at once', async () => {
    const run = await longNightly([faultWorker(s, SLOW)]);
    expect(run.continuations).toBeGreaterThanOrEqual(2);
    // Every delivery but the first was a continuation: none waited for a redelivery.
    expect(run.deliveries).toBe(run.continuations + 1);
  });

  it('resumes a continuation whose delivery crashed, from its redelivery', async () => {
    let crashed = false;
    let sentInContinuation = 0;
    const crashing = interceptCounts(s.deps, {
      before: () => {
        if (++sentInContinuation > 3 && !crashed) {
          crashed = true;
          throw new Error('worker crashed');
        }
      },
    });
    const healthy = faultWorker(s, SLOW);
    const dying = faultWorker(s, SLOW, crashing.deps);
    const worker: WorkerHandler = (event, context) =>
      body(event).continuation === 1 && !crashed ? dying(event, context) : healthy(event, context);

    const run = await longNightly([worker]);
    expect(crashed).toBe(true);
    expect(run.continuations).toBeGreaterThanOrEqual(1);
    // The crashed delivery of continuation 1 came back once: one delivery more than the hand-overs explain.
    expect(run.deliveries).toBe(run.continuations + 2);
  });

  it('sends nothing twice and ends the run once when a continuation message arrives twice', async () => {
    let finishes = 0;
    const doubled: AppDeps = {
      ...s.deps,
      queue: {
        send: async (message, options) => {
          await s.queue.send(message, options);
          if (message.continuation === 1) await s.queue.send(message, options); // SQS delivers a second copy
        },
        sendBatch: (messages) => s.queue.sendBatch(messages),
      },
      runs: Object.assign(Object.create(s.deps.runs) as AppDeps['runs'], {
        update: (...args: Parameters<AppDeps['runs']['update']>) => {
          if (args[2].finishedAt !== undefined) finishes++;
          return s.deps.runs.update(...args);
        },
      }),
    };
    // Two Lambda instances, so both copies can be in flight at once.
    const run = await longNightly([faultWorker(s, SLOW, doubled), faultWorker(s, SLOW, doubled)]);
    expect(finishes).toBe(1);
    expect(run.continuations).toBeGreaterThanOrEqual(1);
    expect((await s.deps.partners.get(PARTNER))?.lastRun?.runId).toBe(run.runId);
  });
});
