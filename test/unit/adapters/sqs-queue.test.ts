// The SQS work-queue adapter against a mocked SDK client (aws-sdk-client-mock): what one send and one batch send
// put on the wire, that SDK errors reach the caller unchanged (the adapter does not retry or wrap them), and
// which entries a batch send reports unsent after resending those SQS failed on its side once.
import {
  QueueDoesNotExist,
  RequestThrottled,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { SqsSyncQueue } from '../../../lambdas/adapters/sqs-queue';
import { ID_PATTERN, RUN_TRIGGERS, type SyncRequest } from '../../../lambdas/core/model';
import { QUEUE_BATCH_MAX } from '../../../lambdas/core/ports';

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

describe('SqsSyncQueue.sendBatch', () => {
  const requests = (n: number): SyncRequest[] =>
    Array.from({ length: n }, (_, i) => ({ ...request, partnerId: `p${i}`, runId: `run-${i}` }));
  const ok = (ids: string[]) => ({
    Successful: ids.map((Id) => ({ Id, MessageId: `m-${Id}`, MD5OfMessageBody: 'x' })),
  });
  const entriesOf = (call: number) =>
    sqs.commandCalls(SendMessageBatchCommand)[call]!.args[0].input.Entries!.map((e) => e.Id);

  it('sends up to 10 messages in one SendMessageBatch, each entry as `send` would put it, ids unique by place', async () => {
    const batch = requests(QUEUE_BATCH_MAX);
    sqs.on(SendMessageBatchCommand).callsFake((input) => ok(input.Entries.map((e: { Id: string }) => e.Id)));
    await expect(new SqsSyncQueue(client, QUEUE_URL).sendBatch(batch)).resolves.toEqual([]);

    expect(sqs.calls()).toHaveLength(1);
    const input = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe(QUEUE_URL);
    expect(input.Entries).toEqual(
      batch.map((r, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(r),
        MessageAttributes: {
          partnerId: { DataType: 'String', StringValue: r.partnerId },
          runId: { DataType: 'String', StringValue: r.runId },
        },
      })),
    );
  });

  it('refuses more than 10 messages before calling SQS, and calls nothing for none', async () => {
    const queue = new SqsSyncQueue(client, QUEUE_URL);
    await expect(queue.sendBatch(requests(QUEUE_BATCH_MAX + 1))).rejects.toThrow(/at most 10/);
    await expect(queue.sendBatch([])).resolves.toEqual([]);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('resends once the entries SQS failed on its side, and reports a sender fault without resending it', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        ...ok(['0', '1', '3']),
        Failed: [
          { Id: '2', SenderFault: false, Code: 'InternalError', Message: 'try again' },
          { Id: '4', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad body' },
        ],
      })
      .resolvesOnce(ok(['2']));
    const failures = await new SqsSyncQueue(client, QUEUE_URL).sendBatch(requests(5));
    expect(failures).toEqual([{ index: 4, error: 'InvalidMessageContents: bad body' }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
    expect(entriesOf(1)).toEqual(['2']);
  });

  it('reports every entry still failing after the one resend, and one SQS answered neither way', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ ...ok(['0']), Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError', Message: 'again' }] });
    const failures = await new SqsSyncQueue(client, QUEUE_URL).sendBatch(requests(3));
    // Entry 2 was in neither list of the first answer: it is resent too, and unconfirmed still.
    expect(entriesOf(1)).toEqual(['1', '2']);
    expect(failures).toEqual([
      { index: 1, error: 'InternalError: again' },
      { index: 2, error: 'SQS answered neither success nor failure for the entry' },
    ]);
    expect(sqs.calls()).toHaveLength(2);
  });

  it('reports only the resent entries when the resend itself fails: the others were sent', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ ...ok(['0', '2']), Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .rejectsOnce(new RequestThrottled({ message: 'Rate exceeded', $metadata: {} }));
    const failures = await new SqsSyncQueue(client, QUEUE_URL).sendBatch(requests(3));
    expect(failures).toEqual([{ index: 1, error: 'Rate exceeded' }]);
  });

  it('passes the SDK error on unchanged when the batch call itself fails, after one attempt', async () => {
    const error = new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} });
    sqs.on(SendMessageBatchCommand).rejects(error);
    await expect(new SqsSyncQueue(client, QUEUE_URL).sendBatch(requests(2))).rejects.toBe(error);
    expect(sqs.calls()).toHaveLength(1);
  });
});
