// The rate-limit counter on dynalite: a conditional ADD shared by every process that writes the table.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client';
import { DynamoAttemptLimiter } from '../../lambdas/adapters/dynamo/limit-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalAws, startLocalAws } from '../support/local-aws';

let aws: LocalAws;
let otherClient: DynamoDBClient;
beforeAll(async () => {
  aws = await startLocalAws();
  otherClient = new DynamoDBClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: aws.dynamoEndpoint,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  otherClient?.destroy();
  await aws?.close();
});

const LIMIT = { max: 3, windowSeconds: 60 };
const at = (iso: string) => new Date(iso);

it('shares one count between two API instances and refuses past the limit until the window ends', async () => {
  const one = aws.repos.limits;
  const two = new DynamoAttemptLimiter(createDocumentClient(otherClient), aws.tableNames.TABLE_LIMITS);
  expect(await one.take('connection-test#msp-1', LIMIT, at('2026-11-26T02:00:05Z'))).toEqual({ allowed: true });
  expect(await two.take('connection-test#msp-1', LIMIT, at('2026-11-26T02:00:06Z'))).toEqual({ allowed: true });
  expect(await one.take('connection-test#msp-1', LIMIT, at('2026-11-26T02:00:07Z'))).toEqual({ allowed: true });
  expect(await two.take('connection-test#msp-1', LIMIT, at('2026-11-26T02:00:20Z'))).toEqual({
    allowed: false,
    retryAfterSeconds: 40,
  });
  // Another subject has its own count; the next window starts from zero.
  expect(await two.take('connection-test#msp-2', LIMIT, at('2026-11-26T02:00:20Z'))).toEqual({ allowed: true });
  expect(await one.take('connection-test#msp-1', LIMIT, at('2026-11-26T02:01:00Z'))).toEqual({ allowed: true });
});

it('counts attempts made at the same moment exactly', async () => {
  const now = at('2026-11-26T03:00:00Z');
  const verdicts = await Promise.all(
    Array.from({ length: 8 }, () => aws.repos.limits.take('connection-test#burst', LIMIT, now)),
  );
  expect(verdicts.filter((v) => v.allowed)).toHaveLength(LIMIT.max);
});
