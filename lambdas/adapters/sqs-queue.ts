// The work queue on SQS: planner and API send, the worker Lambda receives through its event source.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SyncRequest } from '../core/model';
import type { SyncQueue } from '../core/ports';

export class SqsSyncQueue implements SyncQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(request: SyncRequest, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(request),
        ...(options.delaySeconds !== undefined && { DelaySeconds: options.delaySeconds }),
        MessageAttributes: {
          partnerId: { DataType: 'String', StringValue: request.partnerId },
          runId: { DataType: 'String', StringValue: request.runId },
        },
      }),
    );
  }
}

export const createSqsClient = (): SQSClient =>
  new SQSClient({ requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 } });
