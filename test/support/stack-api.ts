// The HTTP API on a started local stack, for integration tests that call it as a client would: the real handler on
// the stack's API dependencies, quiet logs and metrics, on a free loopback port.
import { Logger } from '@aws-lambda-powertools/logger';
import { createApiHandler } from '../../lambdas/handlers/api/app';
import { type ApiServer, startApiServer } from '../../local/api-server';
import type { LocalStack } from '../../local/stack';
import { testMetrics } from '../unit/handlers/api/support';

export function startStackApi(stack: LocalStack, serviceName: string): Promise<ApiServer> {
  const handler = createApiHandler(async () => stack.apiProcess, {
    logger: new Logger({ serviceName, logLevel: 'SILENT' }),
    metrics: testMetrics(false),
  });
  return startApiServer({ port: 0, host: '127.0.0.1', handler: handler as never });
}
