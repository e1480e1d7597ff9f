// The tracer exists in Lambda only: elsewhere (tests, local stack, bench) the X-Ray SDK is not even loaded and
// the SDK clients stay untouched; in a Lambda environment their calls are instrumented. The Lambda cases run
// in a child process, so the X-Ray SDK's async hook never enters the jest worker.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { processTracer, traced } from '../../../lambdas/shared/tracing';

const ROOT = path.join(__dirname, '..', '..', '..');
const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';
const middlewareNames = (client: SQSClient) => client.middlewareStack.identify();

const PROBE = `
const { processTracer, traced } = require('./lambdas/shared/tracing');
const { SQSClient } = require('@aws-sdk/client-sqs');
const client = traced(new SQSClient({ region: 'us-east-1' }));
process.stdout.write(JSON.stringify({
  enabled: processTracer()?.isTracingEnabled() ?? null,
  instrumented: client.middlewareStack.identify().some((n) => n.startsWith('${XRAY_MIDDLEWARE}')),
  xraySdkLoaded: Object.keys(require.cache).some((f) => f.includes('aws-xray-sdk-core')),
}));`;

/** What the tracing module does in a fresh node process with `env` on top of a plain environment. */
function probe(env: Record<string, string>): {
  enabled: boolean | null;
  instrumented: boolean;
  xraySdkLoaded: boolean;
} {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', PROBE], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out);
}

it('has no tracer in tests and returns the SDK client as it was', () => {
  expect(processTracer()).toBeUndefined();
  const client = new SQSClient({ region: 'us-east-1' });
  const before = middlewareNames(client);
  expect(traced(client)).toBe(client);
  expect(middlewareNames(client)).toEqual(before);
  expect(before.join('\n')).not.toContain(XRAY_MIDDLEWARE);
});

it('does not load the X-Ray SDK outside Lambda', () => {
  expect(probe({})).toEqual({ enabled: null, instrumented: false, xraySdkLoaded: false });
});

it('records the calls of an SDK client as subsegments in a Lambda environment', () => {
  expect(probe({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toEqual({
    enabled: true,
    instrumented: true,
    xraySdkLoaded: true,
  });
});

it('stays off in a Lambda environment when POWERTOOLS_TRACE_ENABLED is false', () => {
  expect(probe({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({
    enabled: null,
    instrumented: false,
    xraySdkLoaded: false,
  });
});
