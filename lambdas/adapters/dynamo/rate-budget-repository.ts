// The shared Gradient rate budget in the Limits table: one item per scope and second (`gradient-rate#<scope>#<s>`),
// its counter raised by a conditional update that fails once the window cannot hold the claim. Items expire by TTL.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateBudgetClaim, RateBudgetStore } from '../../core/ports';
import { isConditionalCheckFailed } from './support';

/** How long a window's item outlives its second (TTL deletes within days anyway; nothing reads it after). */
const KEEP_SECONDS = 60;

export class DynamoRateBudget implements RateBudgetStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(c: RateBudgetClaim): Promise<number | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { limitKey: `gradient-rate#${c.scope}#${c.window}` },
          // An atomic add that starts a fresh window at `from`: the slots before the first claim are not handed out.
          UpdateExpression: 'SET tokens = if_not_exists(tokens, :from) + :count, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(tokens) OR tokens <= :max',
          ExpressionAttributeValues: {
            ':from': c.from,
            ':count': c.count,
            ':max': c.capacity - c.count,
            ':expiresAt': c.window + KEEP_SECONDS,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.tokens);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return undefined;
    }
  }
}
