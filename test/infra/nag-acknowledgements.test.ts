// Acknowledgements are reviewed exceptions: each must answer a real finding on its own resource, and the
// set must stay small. Built with acknowledge() recorded instead of applied, to see the raw findings.
import { Validations } from 'aws-cdk-lib';
import { nagFindings, synthStack } from './synth-helper';

interface Ack {
  path: string;
  id: string;
  reason: string;
}

let acks: Ack[];
let findings: { rule: string; path: string }[];

beforeAll(() => {
  acks = [];
  const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (
    this: Validations,
    ...rules
  ) {
    const scope = (this as unknown as { scope: { node: { path: string } } }).scope;
    for (const r of rules) acks.push({ path: scope.node.path, id: r.id, reason: r.reason });
  });
  try {
    const { stack } = synthStack({
      stage: 'prod',
      alarmEmail: 'ops@example.com',
      consoleBackendRoleArns: 'arn:aws:iam::123456789012:role/console-backend',
    });
    findings = nagFindings(stack).map((f) => {
      const [rule, path] = f.finding.split(' @ ') as [string, string];
      return { rule, path };
    });
  } finally {
    spy.mockRestore();
  }
});

const covers = (ack: Ack, f: { rule: string; path: string }) =>
  ack.id === f.rule && (f.path === ack.path || f.path.startsWith(`${ack.path}/`));

it('has a raw finding behind every acknowledgement (no stale or speculative ones)', () => {
  const stale = acks.filter((a) => !findings.some((f) => covers(a, f))).map((a) => `${a.id} @ ${a.path}`);
  expect(stale).toEqual([]);
});

it('covers every raw finding with an acknowledgement on the resource or its owning construct', () => {
  const open = findings.filter((f) => !acks.some((a) => covers(a, f))).map((f) => `${f.rule} @ ${f.path}`);
  expect(open).toEqual([]);
});

it('acknowledges only the reviewed rule set', () => {
  const rules = [...new Set(acks.map((a) => a.id.replace(/\[.*\]$/, '')))].sort();
  expect(rules).toEqual([
    'AwsSolutions-APIG2',
    'AwsSolutions-APIG3',
    'AwsSolutions-COG4',
    'AwsSolutions-IAM4',
    'AwsSolutions-IAM5',
    'AwsSolutions-SMG4',
    'AwsSolutions-SQS3',
    'Serverless-LambdaDLQ',
    'Serverless-LambdaEventSourceMappingDestination',
    'Serverless-SNSRedrivePolicy',
    'Serverless-SQSRedrivePolicy',
  ]);
});
