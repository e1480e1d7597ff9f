// One Powertools tracer per process. Outside Lambda (local stack, jest, bench) it is off, because Powertools
// only traces where AWS_EXECUTION_ENV says Lambda, and POWERTOOLS_TRACE_ENABLED=false turns it off anywhere.
// When on, it records Gradient's fetch calls (captureHTTPsRequests, through undici's diagnostics channel) and
// the SDK clients passed to `traced` as X-Ray subsegments.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './names';

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });

/** The same SDK v3 client, its calls recorded as subsegments while tracing is on (unchanged when off). */
export function traced<Client>(client: Client): Client {
  return tracer.captureAWSv3Client(client);
}
