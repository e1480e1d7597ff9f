// The one fake Lambda context of the local stack (API server, in-process queue, planner) and of tests and the
// bench: a real deadline, so the worker saves progress in time.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { SERVICE_NAME } from '../lambdas/shared/names';

/** The context of one local invocation of function `name` (e.g. 'worker'), with `timeoutMs` to run. */
export function localContext(name: string, timeoutMs = 300_000, requestId: string = randomUUID()): Context {
  const deadline = Date.now() + timeoutMs;
  const functionName = `${SERVICE_NAME}-${name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/local/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
