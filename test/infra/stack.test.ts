// Intent of the production stack: what must hold whatever the construct code looks like.
import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ALL_TABLES } from '../../lambdas/shared/tables';
import { parseConfig } from '../../lib/config';
import { ALARM_PURPOSES, alarmName } from '../../lib/constructs/observability';
import {
  acknowledgements,
  actionsOf,
  logicalId,
  nagFindings,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
  synthStack,
  TABLE_TYPE,
} from './synth-helper';

const raw = {
  stage: 'prod',
  alarmEmail: 'billing-ops@example.com',
  workerMaxConcurrency: '6',
  gradientRateBudget: '60',
  logRetentionDays: '90',
  apiThrottleRateLimit: '25',
  apiThrottleBurstLimit: '50',
  scheduleCron: '30 1 * * ? *',
  consoleBackendRoleArns:
    'arn:aws:iam::123456789012:role/console-backend,arn:aws:iam::210987654321:role/ops/console-backend',
  resyncMaxClosedPeriods: '2',
};
const config = parseConfig(raw);
let s: Synthesized;

beforeAll(() => {
  s = synthStack(raw);
});

const fnId = (name: 'Planner' | 'Worker' | 'Handler') =>
  logicalId(s.template, 'AWS::Lambda::Function', name === 'Handler' ? 'ApiHandlerFunction' : `Sync${name}Function`);
const queueId = (name: string) => logicalId(s.template, 'AWS::SQS::Queue', `Sync${name}`);
const fnProps = (name: 'Planner' | 'Worker' | 'Handler') =>
  resourcesOf(s.template, 'AWS::Lambda::Function')[fnId(name)]!.Properties;

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions or Serverless finding', () => {
    expect(nagFindings(s.stack)).toEqual([]);
  });

  it('gives every acknowledgement a reason a reviewer can weigh', () => {
    const acks = acknowledgements(s.stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThanOrEqual(50);
  });

  it('acknowledges rules on the resources they concern, never on the whole stack', () => {
    const paths = acknowledgements(s.stack).map((a) => a.path);
    expect(paths).not.toContain(s.stack.node.path);
  });

  it('raises no CDK warnings or errors', () => {
    expect(Annotations.fromStack(s.stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(s.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('data', () => {
  it('builds one on-demand, encrypted, point-in-time-recoverable table per shared definition', () => {
    const tables = Object.values(resourcesOf(s.template, TABLE_TYPE));
    expect(tables).toHaveLength(ALL_TABLES.length);
    for (const def of ALL_TABLES) {
      const keys = [{ AttributeName: def.partitionKey.name, KeyType: 'HASH' }];
      if (def.sortKey) keys.push({ AttributeName: def.sortKey.name, KeyType: 'RANGE' });
      s.template.hasResourceProperties(TABLE_TYPE, {
        KeySchema: keys,
        BillingMode: 'PAY_PER_REQUEST',
        // Encrypted with the AWS-managed DynamoDB key.
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : Match.absent(),
        GlobalSecondaryIndexes: def.globalIndexes
          ? def.globalIndexes.map((i) => Match.objectLike({ IndexName: i.indexName }))
          : Match.absent(),
        // One replica, in the stack's region: the table itself.
        Replicas: [
          Match.objectLike({
            Region: 'eu-west-1',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      });
    }
  });

  it('retains every production table when the stack is deleted', () => {
    for (const table of Object.values(resourcesOf(s.template, TABLE_TYPE))) {
      expect(table['DeletionPolicy']).toBe('Retain');
      expect(table['UpdateReplacePolicy']).toBe('Retain');
    }
  });
});

describe('queues', () => {
  it('sends work that failed 5 receives to the work DLQ', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId('WorkDlq'), 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('keeps the work queue invisible for at least six worker timeouts', () => {
    const queue = resourcesOf(s.template, 'AWS::SQS::Queue')[queueId('WorkQueue')]!.Properties;
    const workerTimeout = fnProps('Worker')['Timeout'] as number;
    expect(workerTimeout).toBe(300);
    expect(queue['VisibilityTimeout'] as number).toBeGreaterThanOrEqual(6 * workerTimeout);
  });

  it('encrypts every queue, keeps messages 14 days and refuses non-TLS requests', () => {
    const queues = resourcesOf(s.template, 'AWS::SQS::Queue');
    // Work queue and its DLQ, the scheduler DLQ, the planner failures, the event rule's DLQ.
    expect(Object.keys(queues)).toHaveLength(5);
    for (const q of Object.values(queues)) {
      expect(q.Properties['SqsManagedSseEnabled']).toBe(true);
      expect(q.Properties['MessageRetentionPeriod']).toBe(14 * 24 * 3600);
    }
    const policies = Object.values(resourcesOf(s.template, 'AWS::SQS::QueuePolicy'));
    const guarded = policies.flatMap((p) =>
      (p.Properties['PolicyDocument'] as { Statement: { Effect: string; Condition?: unknown }[] }).Statement.filter(
        (st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('"aws:SecureTransport":"false"'),
      ).length > 0
        ? (p.Properties['Queues'] as unknown[])
        : [],
    );
    expect(guarded).toHaveLength(5);
  });
});

describe('sync', () => {
  it('feeds the worker one message at a time, with partial batch failures and a concurrency cap', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId('Worker') },
      EventSourceArn: { 'Fn::GetAtt': [queueId('WorkQueue'), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 6 },
    });
  });

  it('passes the rate budget and the concurrency it was sized with to the worker', () => {
    const env = (fnProps('Worker')['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(env['GRADIENT_RATE_BUDGET']).toBe('60');
    expect(env['WORKER_MAX_CONCURRENCY']).toBe('6');
  });

  it("tells the worker the queue's maxReceiveCount, so the last delivery closes a run instead of dropping it", () => {
    const env = (fnProps('Worker')['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(env['WORK_QUEUE_MAX_RECEIVE_COUNT']).toBe('5');
  });

  it('starts the planner nightly in UTC, with retries and a DLQ for undeliverable invocations', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 1 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fnId('Planner'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId('SchedulerDlq'), 'Arn'] } },
      }),
    });
  });

  it('sends failed asynchronous planner invocations to their own destination', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId('Planner') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId('PlannerFailures'), 'Arn'] } } },
    });
  });
});

describe('functions', () => {
  const names = ['Planner', 'Worker', 'Handler'] as const;

  it('runs every function on Node 24, ARM, with X-Ray and JSON logs into a log group of its own', () => {
    expect(Object.keys(resourcesOf(s.template, 'AWS::Lambda::Function'))).toHaveLength(3);
    const logGroups = new Set<string>();
    for (const name of names) {
      const p = fnProps(name);
      expect(p['Runtime']).toBe('nodejs24.x');
      expect(p['Architectures']).toEqual(['arm64']);
      expect(p['TracingConfig']).toEqual({ Mode: 'Active' });
      const logging = p['LoggingConfig'] as { LogFormat: string; LogGroup: { Ref: string } };
      expect(logging.LogFormat).toBe('JSON');
      logGroups.add(logging.LogGroup.Ref);
      expect([512, 1024]).toContain(p['MemorySize']);
    }
    expect(logGroups.size).toBe(3);
  });

  it('gives every function the full runtime environment, source maps and Powertools settings', () => {
    for (const name of names) {
      const env = (fnProps(name)['Environment'] as { Variables: Record<string, unknown> }).Variables;
      for (const def of ALL_TABLES) expect(env[def.envVar]).toEqual({ Ref: expect.stringContaining(def.id) });
      expect(env).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'gradient-billing-sync',
        POWERTOOLS_METRICS_NAMESPACE: 'GradientBillingSync',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        PARTNER_SECRET_PREFIX: 'gradient-billing-sync/prod/partner/',
        GRADIENT_BASE_URL: 'https://app.usegradient.com',
        GRADIENT_TIMEOUT_MS: '10000',
      });
      expect(env['VENDOR_KEY_SECRET_ID']).toBeDefined();
      expect(env['PARTNER_SECRET_KMS_KEY_ID']).toBeDefined();
      expect(env['QUEUE_URL']).toEqual({ Ref: queueId('WorkQueue') });
    }
  });

  it('sets a retention on every log group', () => {
    const groups = Object.values(resourcesOf(s.template, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const g of groups) expect(g.Properties['RetentionInDays']).toBe(90);
  });
});

describe('least privilege', () => {
  const all = (prefix: string) => statementsOfRole(s.template, prefix).flatMap(actionsOf);

  it('lets the planner read partners, write runs and send work, and touch no secret or key', () => {
    const actions = all('SyncPlannerRole');
    expect(actions.filter((a) => a.startsWith('secretsmanager:') || a.startsWith('kms:'))).toEqual([]);
    const writes = statementsOfRole(s.template, 'SyncPlannerRole').filter((st) =>
      actionsOf(st).includes('dynamodb:PutItem'),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0]!.Resource).toEqual({
      'Fn::GetAtt': [logicalId(s.template, TABLE_TYPE, 'DataRuns'), 'Arn'],
    });
    expect(actions).toContain('sqs:SendMessage');
  });

  it('lets the worker read partner keys but never create, change or delete them', () => {
    const actions = all('SyncWorkerRole');
    expect(actions).toContain('secretsmanager:GetSecretValue');
    for (const forbidden of ['CreateSecret', 'DeleteSecret', 'PutSecretValue', 'TagResource']) {
      expect(actions).not.toContain(`secretsmanager:${forbidden}`);
    }
    expect(actions).not.toContain('kms:Encrypt');
    expect(actions).not.toContain('kms:GenerateDataKey');
  });

  it('lets the worker send to the work queue only (a run that waits for its partner is sent again, delayed)', () => {
    const sends = statementsOfRole(s.template, 'SyncWorkerRole').filter((st) =>
      actionsOf(st).includes('sqs:SendMessage'),
    );
    expect(sends).toHaveLength(1);
    expect(sends[0]!.Resource).toEqual({
      'Fn::GetAtt': [logicalId(s.template, 'AWS::SQS::Queue', 'SyncWorkQueue'), 'Arn'],
    });
  });

  it('scopes partner-secret permissions to the stage prefix and KMS use to Secrets Manager', () => {
    for (const role of ['SyncWorkerRole', 'ApiHandlerRole']) {
      const statements = statementsOfRole(s.template, role);
      const partner = statements.filter((st) => JSON.stringify(st.Resource).includes(':secret:'));
      expect(partner).toHaveLength(1);
      expect(JSON.stringify(partner[0]!.Resource)).toContain(':secret:gradient-billing-sync/prod/partner/*');
      for (const st of statements.filter((x) => actionsOf(x).some((a) => a.startsWith('kms:')))) {
        expect(JSON.stringify(st.Condition)).toContain('kms:ViaService');
        expect(JSON.stringify(st.Condition)).toContain('secretsmanager.');
      }
    }
    const api = all('ApiHandlerRole');
    for (const a of ['CreateSecret', 'PutSecretValue', 'GetSecretValue', 'DeleteSecret', 'TagResource']) {
      expect(api).toContain(`secretsmanager:${a}`);
    }
    // The API never calls DescribeSecret.
    expect(api).not.toContain('secretsmanager:DescribeSecret');
  });

  it('grants Resource "*" only for X-Ray, and Scan or wildcard actions to no one', () => {
    for (const role of ['SyncPlannerRole', 'SyncWorkerRole', 'ApiHandlerRole', 'SyncSchedulerRole']) {
      for (const st of statementsOfRole(s.template, role)) {
        if (st.Resource === '*') expect(actionsOf(st).every((a) => a.startsWith('xray:'))).toBe(true);
        expect(actionsOf(st).some((a) => a.includes('*'))).toBe(false);
        expect(actionsOf(st)).not.toContain('dynamodb:Scan');
      }
    }
  });

  it('attaches no AWS-managed policy to a function role', () => {
    for (const id of ['SyncPlannerRole', 'SyncWorkerRole', 'ApiHandlerRole']) {
      const role = resourcesOf(s.template, 'AWS::IAM::Role')[logicalId(s.template, 'AWS::IAM::Role', id)]!;
      expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    }
  });
});

describe('secrets', () => {
  it('creates the vendor key secret without a value in the template, encrypted with the rotating CMK', () => {
    const secret = Object.values(resourcesOf(s.template, 'AWS::SecretsManager::Secret'));
    expect(secret).toHaveLength(1);
    expect(secret[0]!.Properties['SecretString']).toBeUndefined();
    expect(secret[0]!.Properties['Name']).toBe('gradient-billing-sync/prod/vendor-api-key');
    expect(secret[0]!.Properties['KmsKeyId']).toEqual({
      'Fn::GetAtt': [logicalId(s.template, 'AWS::KMS::Key', 'SecretsKey'), 'Arn'],
    });
    for (const key of Object.values(resourcesOf(s.template, 'AWS::KMS::Key'))) {
      expect(key.Properties['EnableKeyRotation']).toBe(true);
    }
  });
});

describe('api', () => {
  it('requires IAM (SigV4) on every method', () => {
    const methods = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::Method'));
    expect(methods.length).toBeGreaterThanOrEqual(2);
    for (const m of methods) expect(m.Properties['AuthorizationType']).toBe('AWS_IAM');
    s.template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'ANY', AuthorizationType: 'AWS_IAM' });
    s.template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'AWS_IAM' });
  });

  it('throttles the stage, traces it and writes JSON access logs without request bodies', () => {
    const stage = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::Stage'))[0]!.Properties;
    expect(stage['TracingEnabled']).toBe(true);
    expect(stage['MethodSettings']).toContainEqual(
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 25,
        ThrottlingBurstLimit: 50,
        DataTraceEnabled: false,
      }),
    );
    const access = stage['AccessLogSetting'] as { DestinationArn: unknown; Format: string };
    expect(JSON.stringify(access.DestinationArn)).toContain(
      logicalId(s.template, 'AWS::Logs::LogGroup', 'ApiAccessLogs'),
    );
    expect(Object.keys(JSON.parse(access.Format))).toEqual(expect.arrayContaining(['requestId', 'status', 'caller']));
  });

  it('logs who called which path, the integration latency and the error of every request', () => {
    const stage = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::Stage'))[0]!.Properties;
    const format = JSON.parse((stage['AccessLogSetting'] as { Format: string }).Format) as Record<string, string>;
    expect(Object.values(format)).toEqual(
      expect.arrayContaining([
        '$context.path',
        '$context.identity.userArn',
        '$context.integrationLatency',
        '$context.error.message',
        '$context.resourcePath',
        '$context.httpMethod',
        '$context.status',
      ]),
    );
  });

  it('gives each route that calls Gradient its own low method throttle (defaults 5 rps, burst 10)', () => {
    const stage = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::Stage'))[0]!.Properties;
    const settings = stage['MethodSettings'] as Record<string, unknown>[];
    const routes = [
      ['PUT', '/v1/partners/{partnerId}/connection'],
      ['DELETE', '/v1/partners/{partnerId}/connection'],
      ['POST', '/v1/partners/{partnerId}/connection/test'],
      ['POST', '/v1/partners/{partnerId}/mappings/sync'],
    ];
    for (const [method, path] of routes) {
      // Method settings name a resource path with `/` escaped as `~1`.
      expect(settings).toContainEqual(
        expect.objectContaining({
          HttpMethod: method,
          ResourcePath: `/${path!.replaceAll('/', '~1')}`,
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      );
      // …and the route exists as that resource and method, so the setting applies to it.
      const resource = s.stack.api.restApi.root.resourceForPath(path!).node.defaultChild as CfnElement;
      const resourceId = s.stack.getLogicalId(resource);
      s.template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        ResourceId: { Ref: resourceId },
        AuthorizationType: 'AWS_IAM',
      });
    }
    expect(settings).toHaveLength(1 + routes.length);
  });

  it('admits only the console backend roles and denies every other principal', () => {
    const policy = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::RestApi'))[0]!.Properties['Policy'] as {
      Statement: { Effect: string; Principal: unknown; Action: string; Resource: unknown; Condition: unknown }[];
    };
    const roles = config.consoleBackendRoleArns;
    expect(roles).toHaveLength(2);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Condition: { ArnEquals: { 'aws:PrincipalArn': roles } },
      }),
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roles } },
      }),
    ]);
    // The policy covers every method of every stage of this API.
    for (const st of policy.Statement) expect(st.Resource).toBe('execute-api:/*');
  });

  it('validates nothing at API Gateway (the handler validates) and hands every route to the api function', () => {
    s.template.resourceCountIs('AWS::ApiGateway::RequestValidator', 0);
    const methods = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::Method'));
    for (const m of methods) {
      expect(m.Properties['RequestValidatorId']).toBeUndefined();
      expect(m.Properties['Integration']).toEqual(expect.objectContaining({ Type: 'AWS_PROXY' }));
    }
    // One invoke permission for the whole API, not one per method.
    const permissions = Object.values(resourcesOf(s.template, 'AWS::Lambda::Permission')).filter(
      (p) => p.Properties['Principal'] === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
  });

  it('tells the api function how many closed periods a resync may reach back', () => {
    const env = (fnProps('Handler')['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(env['RESYNC_MAX_CLOSED_PERIODS']).toBe('2');
  });
});

describe('observability', () => {
  const alarms = () => Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topicRef = () => ({ Ref: logicalId(s.template, 'AWS::SNS::Topic', 'ObservabilityAlarmTopic') });

  it('alarms on any message in each dead-letter queue', () => {
    for (const q of ['WorkDlq', 'SchedulerDlq', 'PlannerFailures']) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(q), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    }
  });

  it('alarms on planner and worker errors, a partner turning auth_failed and API 5xx', () => {
    for (const fn of ['Planner', 'Worker'] as const) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(fn) } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GradientBillingSync',
      MetricName: 'PartnersAuthFailed',
      Dimensions: [{ Name: 'service', Value: 'gradient-billing-sync' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fires the heartbeat when no run succeeded for 26 hours, counting silence as failure', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GradientBillingSync',
      MetricName: 'RunsSucceeded',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('names every alarm <stack>-<purpose>, one alarm per purpose', () => {
    const names = alarms().map((a) => a['AlarmName']);
    expect(names.sort()).toEqual(ALARM_PURPOSES.map((p) => alarmName('TestStack', p)).sort());
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'TestStack-WorkDlq',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId('WorkDlq'), 'QueueName'] } }],
    });
  });

  it('sends every alarm, and its recovery, to the alarm topic', () => {
    expect(alarms()).toHaveLength(8);
    for (const a of alarms()) {
      expect(a['AlarmActions']).toEqual([topicRef()]);
      expect(a['OKActions']).toEqual([topicRef()]);
      expect(String(a['AlarmDescription']).length).toBeGreaterThan(20);
    }
  });

  it('encrypts the alarm topic, requires TLS, lets CloudWatch publish and mails the operator', () => {
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const policy = JSON.stringify(
      Object.entries(resourcesOf(s.template, 'AWS::SNS::TopicPolicy')).find(([id]) => id.includes('AlarmTopic'))![1]
        .Properties,
    );
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('cloudwatch.amazonaws.com');
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'billing-ops@example.com',
    });
  });

  it('shows runs, lines, failing partners, Gradient latency and 429s, queues, Lambdas and the API on one dashboard', () => {
    const dashboards = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties['DashboardBody']);
    for (const needle of [
      'RunsSucceeded',
      'RunsPartial',
      'RunsFailed',
      'LinesSent',
      'LinesAccepted',
      'LinesNotMapped',
      'LinesFailed',
      'PartnersAuthFailed',
      'GradientLatency',
      'p50',
      'p90',
      'GradientRateLimited',
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
      'Throttles',
      'Duration',
      '4XXError',
      '5XXError',
    ]) {
      expect(body).toContain(needle);
    }
  });
});

describe('outputs', () => {
  it('exports the API URL, queue, DLQs, vendor-key secret and dashboard', () => {
    const outputs = Object.keys(s.template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'WorkQueueUrl',
        'WorkDlqName',
        'SchedulerDlqName',
        'PlannerFailuresName',
        'VendorKeySecretName',
        'DashboardName',
        'DashboardUrl',
      ]),
    );
    expect(config.stage).toBe('prod');
  });

  it('exports the stage root as ApiUrl, so ApiUrl followed by a documented path such as /v1/services is its URL', () => {
    const value = s.template.findOutputs('ApiUrl')['ApiUrl']!['Value'] as { 'Fn::Join': [string, unknown[]] };
    const stages = resourcesOf(s.template, 'AWS::ApiGateway::Stage');
    const apiId = logicalId(s.template, 'AWS::ApiGateway::RestApi', 'ApiRestApi');
    const url = value['Fn::Join'][1]
      .map((part) => {
        if (typeof part === 'string') return part;
        const ref = (part as { Ref: string }).Ref;
        if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
        if (ref === apiId) return 'API_ID';
        return stages[ref]!.Properties['StageName'];
      })
      .join('');
    expect(url).toBe(`https://API_ID.execute-api.eu-west-1.amazonaws.com/${config.stage}`);
  });
});
