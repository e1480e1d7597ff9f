// callerFor and the deadline: no Gradient call starts at or after it, whether the wait was in the pacer before
// the first attempt or before a retry. A call stopped that way was never sent and stays open for the next delivery.
import { CallFailed, callerFor } from '../../../../lambdas/core/calls/caller';
import { Pacer } from '../../../../lambdas/core/calls/pacer';
import { DeadlineReachedError, GradientServerError } from '../../../../lambdas/core/errors';
import { TimerClock } from '../../../support/timer-clock';

const quiet = { add: () => {} };
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function setup(deadline: number, finalDelivery = false) {
  const clock = new TimerClock(0);
  const gate = new Pacer({ ratePerSecond: 1, burst: 1, clock });
  const call = callerFor(
    { clock, metrics: quiet, log: silent },
    { gate, deadline, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 100 }, random: () => 0.5, finalDelivery },
  );
  /** When each Gradient request began. */
  const starts: number[] = [];
  return { clock, call, starts };
}

describe('callerFor and the deadline', () => {
  it('does not start a call the pacer holds past the deadline (rate 1/s, burst 1, deadline 500 ms)', async () => {
    const { clock, call, starts } = setup(500);
    const send = () =>
      call('setUnitCount', async () => {
        starts.push(clock.now().getTime());
        return 'ok';
      });
    const first = send();
    const second = send().catch((e: unknown) => e);
    await clock.runUntil(2_000);

    await expect(first).resolves.toEqual({ value: 'ok', attempts: 1 });
    const failure = await second;
    expect(starts).toEqual([0]);
    expect(failure).toBeInstanceOf(CallFailed);
    expect((failure as CallFailed).cause).toBeInstanceOf(DeadlineReachedError);
    // Never sent: no attempt counted, and the line stays open even on the last delivery.
    expect((failure as CallFailed).attempts).toBe(0);
    expect((failure as CallFailed).resumable).toBe(true);
    expect((failure as CallFailed).outOfTime).toBe(true);
  });

  it('does not start a retry the pacer holds past the deadline', async () => {
    const { clock, call, starts } = setup(500, true);
    // The first attempt fails at t=0; its 50 ms backoff ends well before the deadline, but the pacer's next
    // token comes at t=1000.
    const failure = call('setUnitCount', async () => {
      starts.push(clock.now().getTime());
      throw new GradientServerError('busy', 503);
    }).catch((e: unknown) => e);
    await clock.runUntil(2_000);

    expect(starts).toEqual([0]);
    const e = (await failure) as CallFailed;
    expect(e).toBeInstanceOf(CallFailed);
    expect(e.attempts).toBe(1);
    expect(e.resumable).toBe(true);
    expect(e.outOfTime).toBe(true);
  });

  it('says a call that ran out of attempts before the deadline was not out of time', async () => {
    const { clock, call } = setup(60_000);
    const failure = call('setUnitCount', async () => {
      throw new GradientServerError('busy', 503);
    }).catch((e: unknown) => e);
    await clock.runUntil(10_000);

    const e = (await failure) as CallFailed;
    expect(e.attempts).toBe(3);
    expect(e.outOfTime).toBe(false);
    expect(e.resumable).toBe(true);
  });
});

describe('the pacer with a deadline', () => {
  it('turns a caller away at once when its turn would come after the deadline, and serves one before it', async () => {
    const clock = new TimerClock(0);
    const gate = new Pacer({ ratePerSecond: 1, burst: 1, clock });
    await gate.acquire(500); // the burst token
    await expect(gate.acquire(500)).rejects.toBeInstanceOf(DeadlineReachedError);
    expect(clock.pending).toBe(0); // nothing left waiting in the pacer

    let served = false;
    const next = gate.acquire(1_500).then(() => {
      served = true;
    });
    await clock.runUntil(1_000);
    await next;
    expect(served).toBe(true);
  });
});
