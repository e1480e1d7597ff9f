// The tracer is off outside Lambda (tests, local stack, bench) and leaves the SDK clients untouched there; in a
// Lambda environment it instruments them.
import { SQSClient } from '@aws-sdk/client-sqs';

const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';
const middlewareNames = (client: SQSClient) => client.middlewareStack.identify().join('\n');

it('is off in tests and returns the SDK client as it was', () => {
  const { tracer, traced } =
    require('../../../lambdas/shared/tracing') as typeof import('../../../lambdas/shared/tracing');
  expect(tracer.isTracingEnabled()).toBe(false);
  const client = new SQSClient({ region: 'us-east-1' });
  const before = middlewareNames(client);
  expect(traced(client)).toBe(client);
  expect(middlewareNames(client)).toBe(before);
  expect(before).not.toContain(XRAY_MIDDLEWARE);
});

it('records the calls of an SDK client as subsegments in a Lambda environment', () => {
  const saved = { ...process.env };
  // No global http patching or fetch subscription in the test process: only the client is looked at.
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
  });
  try {
    jest.isolateModules(() => {
      const { tracer, traced } =
        require('../../../lambdas/shared/tracing') as typeof import('../../../lambdas/shared/tracing');
      expect(tracer.isTracingEnabled()).toBe(true);
      const client = traced(new SQSClient({ region: 'us-east-1' }));
      expect(middlewareNames(client)).toContain(XRAY_MIDDLEWARE);
    });
  } finally {
    process.env = saved;
  }
});

it('stays off in a Lambda environment when POWERTOOLS_TRACE_ENABLED is false', () => {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' });
  try {
    jest.isolateModules(() => {
      const { tracer } = require('../../../lambdas/shared/tracing') as typeof import('../../../lambdas/shared/tracing');
      expect(tracer.isTracingEnabled()).toBe(false);
    });
  } finally {
    process.env = saved;
  }
});
