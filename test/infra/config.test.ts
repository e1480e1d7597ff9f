// Stage configuration from CDK context: defaults, coercion of CLI strings, and readable refusals.
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig, parseConfig } from '../../lib/config';

const fromContext = (context: Record<string, unknown>) => loadConfig(new App({ context }).node);

describe('loadConfig', () => {
  it('defaults to a dev stage that may discard its data and syncs at 02:00 UTC', () => {
    const c = fromContext({});
    expect(c).toMatchObject({
      stage: 'dev',
      retainData: false,
      scheduleCron: 'cron(0 2 * * ? *)',
      gradientBaseUrl: 'https://app.usegradient.com',
      gradientRateBudget: 80,
      workerMaxConcurrency: 4,
      logRetentionDays: 30,
      apiGatewayCloudWatchRole: true,
      // A dev stage may leave the API to the account's IAM (no console backend role).
      consoleBackendRoleArns: [],
      connectionThrottleRateLimit: 5,
      connectionThrottleBurstLimit: 10,
      resyncMaxClosedPeriods: 1,
    });
    expect(c.alarmEmail).toBeUndefined();
  });

  it('coerces command-line strings and lets them override the stage block of cdk.json', () => {
    const c = fromContext({
      stage: 'prod',
      consoleBackendRoleArns: ' arn:aws:iam::123456789012:role/console-backend , arn:aws:iam::123456789012:role/b ',
      stages: { prod: { workerMaxConcurrency: 8, logRetentionDays: 90, alarmEmail: 'ops@example.com' } },
      workerMaxConcurrency: '10',
      gradientRateBudget: '50',
      apiGatewayCloudWatchRole: 'false',
      scheduleCron: 'cron(15 3 ? * MON-FRI *)',
    });
    expect(c).toMatchObject({
      consoleBackendRoleArns: ['arn:aws:iam::123456789012:role/console-backend', 'arn:aws:iam::123456789012:role/b'],
      stage: 'prod',
      retainData: true,
      workerMaxConcurrency: 10,
      gradientRateBudget: 50,
      logRetentionDays: 90,
      alarmEmail: 'ops@example.com',
      apiGatewayCloudWatchRole: false,
      scheduleCron: 'cron(15 3 ? * MON-FRI *)',
    });
  });

  it('ignores the block of another stage', () => {
    const staging = fromContext({
      stage: 'staging',
      stages: { prod: { logRetentionDays: 90 }, staging: { consoleBackendRoleArns: ['arn:aws:iam::1:role/x'] } },
      consoleBackendRoleArns: 'arn:aws:iam::123456789012:role/console',
    });
    expect(staging.logRetentionDays).toBe(30);
    expect(staging.consoleBackendRoleArns).toEqual(['arn:aws:iam::123456789012:role/console']);
  });
});

describe('parseConfig refuses bad values with a message naming the key', () => {
  const problem = (raw: Record<string, unknown>): string => {
    try {
      parseConfig(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected the configuration to be refused');
  };

  it('a rate budget above Gradient’s 100 requests/s', () => {
    expect(problem({ stage: 'prod', gradientRateBudget: '150' })).toMatch(
      /gradientRateBudget: must be at most 100 \(Gradient allows 100 req\/s\)/,
    );
  });

  it('a worker concurrency below the SQS minimum of 2 or above the rate budget', () => {
    expect(problem({ stage: 'prod', workerMaxConcurrency: 1 })).toMatch(/workerMaxConcurrency: must be at least 2/);
    expect(problem({ stage: 'prod', workerMaxConcurrency: 20, gradientRateBudget: 10 })).toMatch(
      /workerMaxConcurrency: must not exceed gradientRateBudget \(10\)/,
    );
  });

  it('a five-field cron or one without "?"', () => {
    expect(problem({ stage: 'prod', scheduleCron: '0 2 * * *' })).toMatch(/scheduleCron: must have six fields/);
    expect(problem({ stage: 'prod', scheduleCron: '0 2 * * 1 *' })).toMatch(
      /scheduleCron: day-of-month or day-of-week/,
    );
  });

  it('a retention CloudWatch does not offer, a plain-http Gradient URL and a malformed email', () => {
    const message = problem({
      stage: 'prod',
      logRetentionDays: 45,
      gradientBaseUrl: 'http://gradient.example',
      alarmEmail: 'not-an-email',
    });
    expect(message).toContain('logRetentionDays: must be one of 1, 3, 5, 7, 14, 30');
    expect(message).toContain('gradientBaseUrl: must be an https:// URL');
    expect(message).toContain('alarmEmail:');
  });

  it('a production stage that would discard its data', () => {
    expect(problem({ stage: 'prod', retainData: 'false' })).toMatch(
      /retainData: a production stage must retain its data/,
    );
  });

  it('a stage name that cannot prefix resource names', () => {
    expect(problem({ stage: 'Prod_1' })).toMatch(/stage: must be 2-20 lowercase letters/);
  });

  it('a non-dev stage without the console backend role, or a value that is not a role ARN', () => {
    expect(problem({ stage: 'prod' })).toMatch(/consoleBackendRoleArns: required outside dev stages/);
    expect(problem({ stage: 'staging', consoleBackendRoleArns: '' })).toMatch(/consoleBackendRoleArns: required/);
    expect(problem({ stage: 'dev', consoleBackendRoleArns: 'arn:aws:iam::123456789012:user/alice' })).toMatch(
      /consoleBackendRoleArns.*: must be IAM role ARNs/,
    );
  });

  it('a Gradient-route throttle above the stage throttle or with a burst below its rate', () => {
    expect(problem({ stage: 'dev', connectionThrottleRateLimit: 60 })).toMatch(
      /connectionThrottleRateLimit: must not exceed apiThrottleRateLimit \(50\)/,
    );
    expect(problem({ stage: 'dev', connectionThrottleRateLimit: 5, connectionThrottleBurstLimit: 2 })).toMatch(
      /connectionThrottleBurstLimit: must be ≥ connectionThrottleRateLimit/,
    );
  });

  it('a burst limit below the rate limit', () => {
    expect(problem({ stage: 'prod', apiThrottleRateLimit: 100, apiThrottleBurstLimit: 10 })).toMatch(
      /apiThrottleBurstLimit: must be ≥ apiThrottleRateLimit/,
    );
  });
});
