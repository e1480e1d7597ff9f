// One Powertools tracer per process, in Lambda only, for the processes whose wiring asks for it (the worker and
// the planner: see lambdas/wiring/processes.ts). Loading the tracer loads the X-Ray SDK, which hooks every async
// operation of the process (cls-hooked), so where Powertools would leave tracing off anyway (no
// AWS_EXECUTION_ENV: the local stack, jest, the bench) or POWERTOOLS_TRACE_ENABLED=false turns it off, it is not
// loaded at all. When on, it records Gradient's fetch calls (captureHTTPsRequests, through undici's diagnostics
// channel) and the SDK clients passed to `traced` as X-Ray subsegments. Nothing runs on import: a bundle that
// never calls `traced` (the API's) leaves the X-Ray SDK out.
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './names';

function lambdaTracer(): Tracer | undefined {
  if (!process.env.AWS_EXECUTION_ENV || process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === 'false') return;
  const { Tracer } = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
  return new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });
}

let built: { tracer: Tracer | undefined } | undefined;

/** The process's tracer, built on first use; undefined where tracing is off. */
export function processTracer(): Tracer | undefined {
  built ??= { tracer: lambdaTracer() };
  return built.tracer;
}

/** The same SDK v3 client, its calls recorded as subsegments while tracing is on (untouched when off). */
export function traced<Client>(client: Client): Client {
  const tracer = processTracer();
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
