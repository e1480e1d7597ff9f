// Fault tests, Gradient side: the nightly through the real planner, queue, worker, adapters and the Gradient
// emulator's fault switches. Each ends with the shared run invariants (test/support/fault-helpers.ts).

import { buildDeps } from '../../lambdas/wiring';
import type { LocalStack } from '../../local/stack';
import {
  expectRunInvariants,
  faultWorker,
  interceptCounts,
  mark,
  nextTick,
  nightly,
  PARTNER,
  PARTNER_KEY,
  resetSwitches,
  type SeededPartner,
  seedPartner,
  startFaultStack,
  workerRate,
} from '../support/fault-helpers';

const COUNT_ROUTE = '/api/vendor-api/service/:serviceId/count';

describe('the nightly under Gradient faults', () => {
  let s: LocalStack;
  let seeded: SeededPartner;
  beforeAll(async () => {
    s = await startFaultStack();
    seeded = await seedPartner(s);
  });
  afterEach(() => resetSwitches(s));
  afterAll(async () => {
    await s?.close();
  });

  it('absorbs an injected burst of 429s: every line lands once and the run succeeds', async () => {
    // Small on purpose: after a 429 the pacer probes with one request per Retry-After, so each 429 past the
    // first concurrent wave costs a second.
    s.emulator!.injectFaults({ kind: '429', count: 3, route: 'count', afterRequests: 10 });
    const { runId, before } = await nightly(s, faultWorker(s));

    const { run, requests } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(run.summary.accepted).toBe(seeded.sendable.length);
    expect(requests.filter((e) => e.status === 429)).toHaveLength(3);
  });

  it('converges under the real limiter when the worker paces faster than Gradient allows', async () => {
    // Far under the worker's pace, so even a loaded machine (CI's two cores) overruns it: there a starved worker lets
    // the slots it woke too late for lapse, and sends well under its 100/s.
    s.emulator!.setRateLimit({ perSecond: 15 });
    const { runId, before } = await nightly(s, faultWorker(s, { rate: workerRate(100) }));

    const { run, requests } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    const limited = requests.filter((e) => e.status === 429).length;
    expect(limited).toBeGreaterThan(0);
    // Backing off as one: the 429s of the first overrun window, not one per request for the rest of the run.
    expect(limited).toBeLessThan(seeded.sendable.length / 2);
  });

  it('retries 500 and 503 bursts, on the mapping refresh and on counts', async () => {
    s.emulator!.injectFaults({ kind: '503', count: 2, route: 'accounts' });
    s.emulator!.injectFaults({ kind: '500', count: 5, route: 'count', afterRequests: 3 });
    s.emulator!.injectFaults({ kind: '503', count: 5, route: 'count', afterRequests: 20 });
    const { runId, before } = await nightly(s, faultWorker(s));

    const { run, requests } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(requests.filter((e) => e.status === 500 || e.status === 503)).toHaveLength(12);
  });

  it('leaves lines failing through a long 503 outage open for redelivery, and closes them as failed on the last one', async () => {
    // Every delivery retries the open lines twice; the outage outlasts all five, so the last closes them.
    s.emulator!.injectFaults({ kind: '503', count: 400, route: 'count', afterRequests: 30 });
    const { runId, before } = await nightly(
      s,
      faultWorker(s, { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } }),
    );

    const { run, receipts } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('partial');
    const failed = [...receipts.values()].filter((r) => r.outcome === 'failed');
    expect(failed.length).toBe(seeded.sent - 30);
    expect(failed.every((r) => r.httpStatus === 503 && r.attempts === 2)).toBe(true);
  });

  it('times out on a hanging Gradient and resends the hung lines once', async () => {
    // The same adapters with a short Gradient timeout, for this test only. Short enough to keep the test
    // quick, long enough that an answered call never times out on a loaded CI machine (250 ms did: the
    // answered call was then sent again, and Gradient saw it twice).
    const deps = { ...s.deps, gradient: buildDeps({ ...s.env, GRADIENT_TIMEOUT_MS: 1500 }).gradient };
    s.emulator!.injectFaults({ kind: 'hang', count: 1, route: 'accounts' });
    s.emulator!.injectFaults({ kind: 'hang', count: 6, route: 'count', afterRequests: 5 });
    const { runId, before } = await nightly(s, faultWorker(s, {}, deps));

    const { run, requests } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    // Each hung call timed out once and was retried: seven hangs, every hung line accepted on its retry.
    expect(requests.filter((e) => e.status === 'hang')).toHaveLength(7);
  });

  it('retries connection resets', async () => {
    s.emulator!.injectFaults({ kind: 'reset', count: 1, route: 'accounts' });
    s.emulator!.injectFaults({ kind: 'reset', count: 6, route: 'count', afterRequests: 7 });
    const { runId, before } = await nightly(s, faultWorker(s));

    const { run, requests } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    expect(requests.filter((e) => e.status === 'reset')).toHaveLength(7);
  });

  it('retries malformed JSON answers', async () => {
    s.emulator!.injectFaults({ kind: 'malformed', count: 1, route: 'accounts' });
    s.emulator!.injectFaults({ kind: 'malformed', count: 6, route: 'count', afterRequests: 4 });
    const { runId, before } = await nightly(s, faultWorker(s));

    const { run, requests } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('succeeded');
    // The emulator answers 200 with a broken body for a malformed fault: exactly those, none for a real count.
    expect(requests.filter((e) => e.route === COUNT_ROUTE && e.status === 200)).toHaveLength(6);
  });
});

describe('a partner key revoked mid-run', () => {
  let own: LocalStack | undefined;
  afterAll(async () => {
    await own?.close();
  });

  it('stops the partner at once: auth_failed, every line accounted for, no retry storm', async () => {
    own = await startFaultStack();
    const s = own;
    const seeded = await seedPartner(s);
    let revokedAt: number | undefined;
    const { deps } = interceptCounts(s.deps, {
      after: (accepted) => {
        if (accepted === 19) {
          s.emulator!.revokeKey(PARTNER_KEY);
          revokedAt = s.emulator!.requestLog().length;
        }
      },
    });
    const maxInFlight = 8;
    const { runId, before } = await nightly(s, faultWorker(s, { maxInFlight }, deps));
    const afterRun = mark(s);

    const { run, receipts } = await expectRunInvariants(s, seeded, runId, before);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('auth_failed');
    // The 20th acceptance revokes the key; counts Gradient had already taken in parallel stand.
    expect(run.summary.accepted).toBeGreaterThanOrEqual(20);
    expect(run.summary.accepted).toBeLessThan(20 + maxInFlight);
    const partner = await s.deps.partners.get(PARTNER);
    expect(partner?.status).toBe('auth_failed');
    expect(partner?.statusReason).toMatch(/rejected/);
    // Only what was already in flight reaches Gradient after the revocation, each once, plus one probe with the
    // keys read again past the caches (a rotation): nothing else is retried.
    const after = s.emulator!.requestLog().slice(revokedAt!);
    expect(after.length).toBeLessThanOrEqual(maxInFlight + 1);
    expect(after.every((e) => e.status === 401)).toBe(true);
    const rejected = [...receipts.values()].filter((r) => r.outcome === 'auth_failed');
    expect(rejected.filter((r) => r.attempts > 0).length).toBe(after.length - 1);
    expect(rejected.every((r) => r.attempts <= 1)).toBe(true);
    // The message was not redelivered: the run ended, and the next night skips the partner.
    expect(s.queue.deadLetters).toHaveLength(0);
    expect(afterRun.requests).toBe(s.emulator!.requestLog().length);
    const next = await s.planner(nextTick());
    expect(next.enqueued).toBe(0);
  });
});
