// The vendor's event bus in the stack: the bus, the one example rule (a rejected key to the partner team topic,
// with a DLQ), the topic's subscriptions from the `partnerTeamEmails` context, and PutEvents for the worker and the
// API only, which get the bus's name.
import { synthStack } from './synth-helper';

const s = synthStack({ stage: 'dev', partnerTeamEmails: 'partners@example.com, channel@example.com' });
const resources = (type: string) =>
  Object.entries(s.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, ...r }));

describe('the event bus', () => {
  it('creates one bus named for the stage', () => {
    expect(resources('AWS::Events::EventBus').map((b) => b.Properties['Name'])).toEqual(['gradient-billing-sync-dev']);
  });

  it('routes a partner turned auth_failed to the encrypted partner team topic, failures to a DLQ', () => {
    const [rule, ...others] = resources('AWS::Events::Rule').filter((r) => r.Properties['EventBusName'] !== undefined);
    expect(others).toEqual([]);
    expect(rule?.Properties['EventPattern']).toEqual({
      source: ['gradient-billing-sync'],
      'detail-type': ['Partner Status Changed'],
      detail: { to: ['auth_failed'] },
    });
    const [target] = rule!.Properties['Targets'] as Array<Record<string, unknown>>;
    expect(JSON.stringify(target?.['Arn'])).toContain('PartnerTeamTopic');
    expect(JSON.stringify(target?.['DeadLetterConfig'])).toContain('RuleDlq');
    const topic = resources('AWS::SNS::Topic').find((t) => t.id.includes('PartnerTeamTopic'));
    expect(topic?.Properties['KmsMasterKeyId']).toBeDefined();
  });

  it('subscribes every partnerTeamEmails address to the topic', () => {
    const emails = resources('AWS::SNS::Subscription')
      .filter((x) => JSON.stringify(x.Properties['TopicArn']).includes('PartnerTeamTopic'))
      .map((x) => x.Properties['Endpoint']);
    expect(emails.sort()).toEqual(['channel@example.com', 'partners@example.com']);
  });

  it('lets the worker and the API put events, not the planner, and tells all of them the bus name', () => {
    const putters = resources('AWS::IAM::Policy')
      .filter((p) => JSON.stringify(p.Properties['PolicyDocument']).includes('events:PutEvents'))
      .map((p) => p.id);
    expect(putters.some((id) => id.includes('Worker'))).toBe(true);
    expect(putters.some((id) => id.includes('Api'))).toBe(true);
    expect(putters.some((id) => id.includes('Planner'))).toBe(false);
    const functions = resources('AWS::Lambda::Function').filter((f) => JSON.stringify(f.Properties).includes('TABLE_'));
    for (const f of functions) {
      const vars = (f.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(vars['EVENT_BUS_NAME'])).toContain('EventsBus');
    }
  });
});
