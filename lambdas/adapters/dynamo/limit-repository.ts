// Rate-limit counters in DynamoDB, shared by every Lambda instance: one item per key and fixed window, counted
// up with a conditional ADD that fails once the window holds the limit. Items expire by TTL after their window.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimit, AttemptLimiter, AttemptVerdict } from '../../core/ports';
import { isConditionalCheckFailed } from './support';

export class DynamoAttemptLimiter implements AttemptLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(key: string, limit: AttemptLimit, now: Date): Promise<AttemptVerdict> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
    const windowEnd = windowStart + limit.windowSeconds;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { limitKey: `${key}#${windowStart}` },
          UpdateExpression: 'ADD attempts :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': limit.max, ':expiresAt': windowEnd + limit.windowSeconds },
        }),
      );
      return { allowed: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
    }
  }
}
