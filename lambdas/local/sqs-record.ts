import type { SQSRecord } from 'aws-lambda';

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
    eventSourceARN: 'arn:aws:sqs:local:000000000000:gradient-billing-sync-work',
    awsRegion: 'local',
  };
}
