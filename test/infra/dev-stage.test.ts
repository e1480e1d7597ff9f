// A throwaway dev stage: same safeguards and checks, but its data may be destroyed with the stack.
import { nagFindings, resourcesOf, type Synthesized, synthStack, TABLE_TYPE } from './synth-helper';

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
