// A throwaway dev stage: same safeguards and checks, but its data may be destroyed with the stack.
import { logicalId, nagFindings, resourcesOf, type Synthesized, synthStack, TABLE_TYPE } from './synth-helper';

let s: Synthesized;

beforeAll(() => {
  s = synthStack({ stage: 'dev', apiGatewayCloudWatchRole: 'false', logRetentionDays: 7 });
});

it('reports no unacknowledged cdk-nag finding without the optional resources', () => {
  expect(nagFindings(s.stack)).toEqual([]);
});

it('lets a dev stage delete its tables, queues and log groups with the stack', () => {
  for (const type of [TABLE_TYPE, 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret']) {
    const resources = Object.values(resourcesOf(s.template, type));
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(r['DeletionPolicy']).toBe('Delete');
  }
  for (const t of Object.values(resourcesOf(s.template, TABLE_TYPE))) {
    const [replica, ...others] = t.Properties['Replicas'] as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(replica!['DeletionProtectionEnabled']).toBe(false);
    expect(replica!['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true });
  }
});

it('creates no email subscription and no account-level API Gateway role when not asked to', () => {
  s.template.resourceCountIs('AWS::SNS::Subscription', 0);
  s.template.resourceCountIs('AWS::ApiGateway::Account', 0);
});

it('names secrets and the dashboard after the stage', () => {
  s.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'gradient-billing-sync/dev/vendor-api-key' });
  s.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'gradient-billing-sync-dev' });
  for (const g of Object.values(resourcesOf(s.template, 'AWS::Logs::LogGroup'))) {
    expect(g.Properties['RetentionInDays']).toBe(7);
  }
});

it('without console backend roles, admits only principals of its own account that IAM allows', () => {
  const policy = Object.values(resourcesOf(s.template, 'AWS::ApiGateway::RestApi'))[0]!.Properties['Policy'] as {
    Statement: Record<string, unknown>[];
  };
  expect(policy.Statement).toEqual([
    expect.objectContaining({
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
    }),
    expect.objectContaining({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
    }),
  ]);
  for (const m of Object.values(resourcesOf(s.template, 'AWS::ApiGateway::Method'))) {
    expect(m.Properties['AuthorizationType']).toBe('AWS_IAM');
  }
});

it('gives the api function the default resync reach of one closed period', () => {
  const api = resourcesOf(s.template, 'AWS::Lambda::Function')[
    logicalId(s.template, 'AWS::Lambda::Function', 'ApiHandlerFunction')
  ]!;
  expect((api.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({
    RESYNC_MAX_CLOSED_PERIODS: '1',
  });
});
