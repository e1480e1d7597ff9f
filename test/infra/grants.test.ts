// Least privilege, both ways: each function's DynamoDB, Secrets Manager, SQS and KMS grants in the synthesized
// template equal what its code sends (code-access.ts derives that from the handler's bundle): no missing grant,
// no extra one.
import type { CfnElement } from 'aws-cdk-lib';
import { codeGrants, type Grant } from './code-access';
import { actionsOf, type Synthesized, statementsOfRole, synthStack } from './synth-helper';

let s: Synthesized;
const ROLES = { planner: 'SyncPlannerRole', worker: 'SyncWorkerRole', api: 'ApiHandlerRole' } as const;
const SERVICES = /^(dynamodb|secretsmanager|sqs|kms):/;
/**
 * Grants Lambda itself uses the function's role for, which no handler code sends: the worker's SQS event source
 * polls the work queue, and the planner's async failure destination receives failed events. CDK adds them.
 */
const LAMBDA_SERVICE_GRANTS: Record<keyof typeof ROLES, Grant[]> = {
  planner: ['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'].map((a) => `sqs:${a} queue:plannerFailures`),
  worker: ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl'].map(
    (a) => `sqs:${a} queue:work`,
  ),
  api: [],
};

beforeAll(() => {
  s = synthStack({
    stage: 'prod',
    alarmEmail: 'ops@example.com',
    consoleBackendRoleArns: 'arn:aws:iam::123456789012:role/console-backend',
  });
});

/** Logical id → resource id of code-access.ts (`table:runs`, `queue:work`, …). */
function resourceIds(): Map<string, string> {
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as CfnElement);
  const ids = new Map<string, string>();
  for (const [name, table] of Object.entries(s.stack.data.tables)) ids.set(id(table), `table:${name}`);
  ids.set(id(s.stack.sync.workQueue), 'queue:work');
  ids.set(id(s.stack.sync.plannerFailures), 'queue:plannerFailures');
  ids.set(id(s.stack.secrets.vendorKey), 'secret:vendor');
  ids.set(id(s.stack.secrets.key), 'kms:key');
  return ids;
}

function resourceOf(resource: unknown, ids: Map<string, string>): string {
  const r = resource as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
  if (r.Ref) return ids.get(r.Ref) ?? `?${r.Ref}`;
  if (r['Fn::GetAtt']?.[1] === 'Arn') return ids.get(r['Fn::GetAtt'][0]) ?? `?${r['Fn::GetAtt'][0]}`;
  const parts = r['Fn::Join']?.[1] ?? [];
  const json = JSON.stringify(parts);
  const index = /^"\/index\/(\w+)"$/.exec(JSON.stringify(parts[1]));
  if (parts.length === 2 && index) return `${resourceOf(parts[0], ids).replace(/^table:/, 'index:')}/${index[1]}`;
  if (json.includes(':secret:gradient-billing-sync/prod/partner/*')) return 'secret:partner';
  return `?${json}`;
}

/** `action resource` of every data-plane grant on the role. */
function templateGrants(rolePrefix: string): Set<Grant> {
  const ids = resourceIds();
  const grants = new Set<Grant>();
  for (const st of statementsOfRole(s.template, rolePrefix)) {
    expect(st.Effect).toBe('Allow');
    const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
    for (const action of actionsOf(st).filter((a) => SERVICES.test(a))) {
      for (const r of resources) grants.add(`${action} ${resourceOf(r, ids)}`);
    }
  }
  return grants;
}

/** Secrets Manager decrypts with the key for a read and asks a data key for a written value (on the caller's behalf). */
function withKmsUse(grants: Set<Grant>): Set<Grant> {
  const out = new Set(grants);
  const sm = [...grants].filter((g) => g.startsWith('secretsmanager:'));
  if (sm.some((g) => /:(GetSecretValue|CreateSecret|PutSecretValue) /.test(g))) out.add('kms:Decrypt kms:key');
  if (sm.some((g) => /:(CreateSecret|PutSecretValue) /.test(g))) out.add('kms:GenerateDataKey kms:key');
  return out;
}

const minus = (a: Set<Grant>, b: Set<Grant>) => [...a].filter((g) => !b.has(g)).sort();

describe.each(Object.entries(ROLES))('the %s function', (handler, role) => {
  let sent: Set<Grant>;
  let granted: Set<Grant>;

  beforeAll(() => {
    sent = new Set([
      ...withKmsUse(codeGrants(handler).grants),
      ...LAMBDA_SERVICE_GRANTS[handler as keyof typeof ROLES],
    ]);
    granted = templateGrants(role);
  });

  it('is granted everything its code sends (no missing grant)', () => {
    expect(sent.size).toBeGreaterThan(0);
    expect(minus(sent, granted)).toEqual([]);
  });

  it('is granted nothing its code does not send (no extra grant)', () => {
    expect(minus(granted, sent)).toEqual([]);
  });
});

it('finds the calls each handler makes through its ports (the analysis sees the code)', () => {
  const { calls: api } = codeGrants('api');
  const { calls: worker } = codeGrants('worker');
  const { calls: planner } = codeGrants('planner');
  // The worker writes receipts; the API only lists them; the planner builds partners and runs only.
  expect(worker).toContain('runs.putReceipts');
  expect(api).toContain('runs.listReceipts');
  expect(api).not.toContain('runs.putReceipts');
  expect([...planner].every((c) => /^(partners|runs|queue)\./.test(c))).toBe(true);
  // The planner sends its messages in batches (SendMessageBatch, authorized as sqs:SendMessage), never one by one.
  expect(planner).toContain('queue.sendBatch');
  expect(planner).not.toContain('queue.send');
});
