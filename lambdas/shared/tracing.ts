// One Powertools tracer per process, in Lambda only. Loading the tracer loads the X-Ray SDK, which hooks every
// async operation of the process (cls-hooked), so where Powertools would leave tracing off anyway (no
// AWS_EXECUTION_ENV: the local stack, jest, the bench) or POWERTOOLS_TRACE_ENABLED=false turns it off, it is not
// loaded at all. When on, it records Gradient's fetch calls (captureHTTPsRequests, through undici's diagnostics
// channel) and the SDK clients passed to `traced` as X-Ray subsegments.
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './names';

function lambdaTracer(): Tracer | undefined {
  if (!process.env.AWS_EXECUTION_ENV || process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === 'false') return;
  const { Tracer } = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
  return new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });
}

/** The process's tracer; undefined where tracing is off. */
export const tracer: Tracer | undefined = lambdaTracer();

/** The same SDK v3 client, its calls recorded as subsegments while tracing is on (untouched when off). */
export function traced<Client>(client: Client): Client {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
