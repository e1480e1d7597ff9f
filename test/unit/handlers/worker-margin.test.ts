// The worker's safety margin before the Lambda timeout: the 15 s cap on a deployed worker, a tenth of a short
// simulated timeout; and LOCAL_WORKER_TIMEOUT_S, which sets that simulated timeout on the local stack.
import { safetyMargin } from '../../../lambdas/handlers/worker';
import { WORKER_TIMEOUT_SECONDS } from '../../../lambdas/shared/settings';
import { workerSettings } from '../../../lambdas/wiring';
import { localWorkerTimeoutMs } from '../../../local/stack';

const settings = workerSettings({ GRADIENT_RATE_BUDGET: 80, WORKER_MAX_CONCURRENCY: 4 } as never);

describe('safetyMargin', () => {
  it('is the 15 s cap on the deployed 300 s worker', () => {
    expect(safetyMargin(settings, WORKER_TIMEOUT_SECONDS * 1_000)).toBe(15_000);
  });

  it('is a tenth of a short simulated timeout, so most of it still sends', () => {
    expect(safetyMargin(settings, 20_000)).toBe(2_000);
    expect(safetyMargin(settings, 3_000)).toBe(300);
  });
});

describe('localWorkerTimeoutMs', () => {
  it("defaults to the deployed worker's timeout and reads LOCAL_WORKER_TIMEOUT_S in seconds", () => {
    expect(localWorkerTimeoutMs({})).toBe(300_000);
    expect(localWorkerTimeoutMs({ LOCAL_WORKER_TIMEOUT_S: '' })).toBe(300_000);
    expect(localWorkerTimeoutMs({ LOCAL_WORKER_TIMEOUT_S: '12.5' })).toBe(12_500);
  });

  it('refuses a value Lambda would not take, with the variable named', () => {
    expect(() => localWorkerTimeoutMs({ LOCAL_WORKER_TIMEOUT_S: 'soon' })).toThrow(/LOCAL_WORKER_TIMEOUT_S/);
    expect(() => localWorkerTimeoutMs({ LOCAL_WORKER_TIMEOUT_S: '0' })).toThrow(/LOCAL_WORKER_TIMEOUT_S/);
    expect(() => localWorkerTimeoutMs({ LOCAL_WORKER_TIMEOUT_S: '901' })).toThrow(/900 s/);
  });
});
