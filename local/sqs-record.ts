// The SQS record builder of the local stack: the in-process queue delivers its messages in this shape, and the
// fault tests and the bench build the worker's events with it.
import type { SQSRecord } from 'aws-lambda';
import { SERVICE_NAME } from '../lambdas/shared/names';

/** One SQS record as Lambda's event source delivers it: what the local queue, tests and the bench hand the worker. */
export function sqsRecord(message: {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt?: number;
  senderId?: string;
}): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: message.messageId,
    receiptHandle: `${message.messageId}#${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: message.sentAt === undefined ? now : String(message.sentAt),
      SenderId: message.senderId ?? 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${SERVICE_NAME}-work`,
    awsRegion: 'local',
  };
}
