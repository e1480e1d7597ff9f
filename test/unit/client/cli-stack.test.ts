// The CLI's stack target: the ApiUrl and DLQ outputs read by a signed CloudFormation DescribeStacks, the API
// then called signed at that URL, and `dlq redrive` moving the stack's work DLQ back (SQS mocked).
import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { EXIT, main } from '../../../client/cli/main';
import { outputsOf } from '../../../client/cli/stack-outputs';

const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:GradientBillingSync-prod-WorkDlq';
const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:GradientBillingSync-prod-WorkQueue';
const xml = (outputs: Record<string, string>) =>
  `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>S</StackName><Outputs>${Object.entries(
    outputs,
  )
    .map(
      ([k, v]) =>
        `<member><Description>d</Description><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`,
    )
    .join('')}</Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`;

const saved = { ...process.env };
beforeEach(() => {
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDEXAMPLE';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'secret';
});
afterEach(() => {
  process.env = { ...saved };
});

function fakeAws(outputs: Record<string, string>, status = 200) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fake = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    if (String(url).startsWith('https://cloudformation.')) {
      const body =
        status === 200
          ? xml(outputs)
          : '<ErrorResponse><Error><Message>Stack with id X does not exist</Message></Error></ErrorResponse>';
      return new Response(body, { status });
    }
    return new Response(JSON.stringify({ runs: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { calls, fake };
}

const io = (fake: typeof fetch) => {
  const seen = { out: '', err: '' };
  return {
    seen,
    io: {
      out: (t: string) => {
        seen.out += t;
      },
      err: (t: string) => {
        seen.err += t;
      },
      env: {},
      fetch: fake,
    },
  };
};

it('reads OutputKey → OutputValue, XML entities decoded', () => {
  expect(outputsOf(xml({ ApiUrl: API, DashboardUrl: 'https://x/?a=1&amp;b=2' }))).toEqual({
    ApiUrl: API,
    DashboardUrl: 'https://x/?a=1&b=2',
  });
});

it('finds the API of --stage by its stack outputs and calls it signed', async () => {
  const { calls, fake } = fakeAws({ ApiUrl: API });
  const { io: sink } = io(fake);
  const code = await main(['runs', 'acme', '--stage', 'prod', '--region', 'eu-west-1', '--json'], sink);
  expect(code).toBe(EXIT.ok);
  expect(calls[0]!.url).toBe('https://cloudformation.eu-west-1.amazonaws.com/');
  expect(String(calls[0]!.init.body)).toContain('StackName=GradientBillingSync-prod');
  expect((calls[0]!.init.headers as Record<string, string>)['authorization']).toMatch(/\/cloudformation\/aws4_request/);
  expect(calls[1]!.url).toBe(`${API}/v1/partners/acme/runs`);
  expect((calls[1]!.init.headers as Record<string, string>)['authorization']).toMatch(/\/execute-api\/aws4_request/);
});

it('says the stack cannot be read with exit 4, and a missing region is a usage error', async () => {
  const { fake } = fakeAws({}, 400);
  const { io: sink, seen } = io(fake);
  expect(await main(['runs', 'acme', '--stack', 'X', '--region', 'eu-west-1'], sink)).toBe(EXIT.unreachable);
  expect(seen.err).toMatch(/does not exist/);
  expect(await main(['runs', 'acme', '--stack', 'X'], sink)).toBe(EXIT.usage);
});

it("redrives the stack's work DLQ into its work queue at the given rate", async () => {
  const sqs = mockClient(SQSClient);
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
  const { fake } = fakeAws({ ApiUrl: API, WorkDlqArn: DLQ, WorkQueueArn: QUEUE });
  const { io: sink, seen } = io(fake);
  const code = await main(['dlq', 'redrive', '--stage', 'prod', '--region', 'eu-west-1', '--rate', '3'], sink);
  expect(code).toBe(EXIT.ok);
  expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
    SourceArn: DLQ,
    DestinationArn: QUEUE,
    MaxNumberOfMessagesPerSecond: 3,
  });
  expect(seen.out).toMatch(/^taskHandle: +task-1$/m);
  sqs.restore();
});
