// The shared Gradient rate budget in the Limits table: one item per scope and second (`gradient-rate#<scope>#<s>`),
// its counter (and the claiming lane's) raised by a conditional update that fails once the window cannot hold the
// claim or the lane would pass its cap. Items expire by TTL.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RUN_LANES, type RunLane } from '../../core/model';
import type { RateBudgetClaim, RateBudgetCounters, RateBudgetStore } from '../../core/ports';
import { isConditionalCheckFailed } from './support';

/** How long a window's item outlives its second (TTL deletes within days anyway; nothing reads it after). */
const KEEP_SECONDS = 60;

/** A lane's counter in a window's item. */
const laneAttribute = (lane: RunLane): string => `lane_${lane}`;

const countersOf = (item: Record<string, unknown>): RateBudgetCounters => {
  const lanes: RateBudgetCounters['lanes'] = {};
  for (const lane of RUN_LANES) {
    const used = item[laneAttribute(lane)];
    if (typeof used === 'number') lanes[lane] = used;
  }
  return { tokens: Number(item.tokens), lanes };
};

export class DynamoRateBudget implements RateBudgetStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(c: RateBudgetClaim): Promise<RateBudgetCounters | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { limitKey: `gradient-rate#${c.scope}#${c.window}` },
          // An atomic add that starts a fresh window at `from`: the slots before the first claim are not handed out.
          // The lane's own counter rises with it, within the lane's cap.
          UpdateExpression:
            'SET tokens = if_not_exists(tokens, :from) + :count, #lane = if_not_exists(#lane, :zero) + :count, ' +
            'expiresAt = :expiresAt',
          ConditionExpression:
            '(attribute_not_exists(tokens) OR tokens <= :max) AND (attribute_not_exists(#lane) OR #lane <= :laneMax)',
          ExpressionAttributeNames: { '#lane': laneAttribute(c.lane) },
          ExpressionAttributeValues: {
            ':from': c.from,
            ':count': c.count,
            ':zero': 0,
            ':max': c.capacity - c.count,
            ':laneMax': c.laneCap - c.count,
            ':expiresAt': c.window + KEEP_SECONDS,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return countersOf(out.Attributes ?? {});
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return undefined;
    }
  }

  async counters(scope: string, window: number): Promise<RateBudgetCounters | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { limitKey: `gradient-rate#${scope}#${window}` } }),
    );
    return out.Item ? countersOf(out.Item) : undefined;
  }
}
