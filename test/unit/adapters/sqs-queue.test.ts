// The SQS work-queue adapter against a mocked SDK client (aws-sdk-client-mock): what one send puts on the
// wire, and that SDK errors reach the caller unchanged (the adapter does not retry or wrap them).
import { QueueDoesNotExist, RequestThrottled, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { SqsSyncQueue } from '../../../lambdas/adapters/sqs-queue';
import { ID_PATTERN, RUN_TRIGGERS, type SyncRequest } from '../../../lambdas/core/model';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/gradient-billing-sync-work';

const client = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const sqs = mockClient(client);
beforeEach(() => sqs.reset());
afterAll(() => sqs.restore());

const request: SyncRequest = {
  runId: 'run-2026-11-25-p1',
  partnerId: 'p1',
  period: '2026-11',
  asOf: '2026-11-25',
  full: false,
  trigger: 'schedule',
};

const arbitraryRequest: fc.Arbitrary<SyncRequest> = fc.record({
  runId: fc.stringMatching(ID_PATTERN),
  partnerId: fc.stringMatching(ID_PATTERN),
  period: fc.constantFrom('2024-02', '2026-11', '2027-01'),
  asOf: fc.constantFrom('2024-02-29', '2026-11-25', '2027-01-31'),
  full: fc.boolean(),
  trigger: fc.constantFrom(...RUN_TRIGGERS),
});

describe('SqsSyncQueue', () => {
  it('sends one message to its queue: the request as JSON, partner and run as string attributes, nothing else', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await new SqsSyncQueue(client, QUEUE_URL).send(request);

    expect(sqs.calls()).toHaveLength(1);
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify(request),
      MessageAttributes: {
        partnerId: { DataType: 'String', StringValue: 'p1' },
        runId: { DataType: 'String', StringValue: 'run-2026-11-25-p1' },
      },
    });
    // A standard queue: no FIFO group or deduplication id, and no delay.
    expect(input).not.toHaveProperty('MessageGroupId');
    expect(input).not.toHaveProperty('MessageDeduplicationId');
    expect(input).not.toHaveProperty('DelaySeconds');
  });

  it('delays a message by the seconds asked (a run waiting for its partner), and only then', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await new SqsSyncQueue(client, QUEUE_URL).send(request, { delaySeconds: 30 });
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toMatchObject({
      MessageBody: JSON.stringify(request),
      DelaySeconds: 30,
    });
  });

  it('puts any request in the body so that it parses back to an equal request', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    const queue = new SqsSyncQueue(client, QUEUE_URL);
    await fc.assert(
      fc.asyncProperty(arbitraryRequest, async (r) => {
        sqs.resetHistory();
        await queue.send(r);
        const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
        expect(JSON.parse(input.MessageBody!)).toEqual(r);
        expect(input.MessageAttributes?.partnerId?.StringValue).toBe(r.partnerId);
        expect(input.MessageAttributes?.runId?.StringValue).toBe(r.runId);
      }),
      { numRuns: 100, seed: 8 },
    );
  });

  it.each([
    [
      'the queue does not exist',
      new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }),
    ],
    ['SQS throttles the request', new RequestThrottled({ message: 'Rate exceeded', $metadata: {} })],
    ['the network fails', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('passes the SDK error on unchanged when %s, after one attempt', async (_, error) => {
    sqs.on(SendMessageCommand).rejects(error);
    await expect(new SqsSyncQueue(client, QUEUE_URL).send(request)).rejects.toBe(error);
    expect(sqs.calls()).toHaveLength(1);
  });
});
