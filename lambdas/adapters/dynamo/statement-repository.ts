// Closing statements, one partition per partner and period (`partnerId#period`): a line item per
// `account#service`, adjustments as `adj#account#service`, and the `#closed` marker written last, so a
// statement whose write was cut short is not closed and is written again.
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClosedStatement, Period, StatementAdjustment } from '../../core/model';
import { lineKey } from '../../core/model';
import type { StatementRepository } from '../../core/ports';
import { closedMarkerItem, closingLineItem, statementAdjustmentItem } from './items';
import { batchWrite, parseItem, queryItems } from './support';

const MARKER = '#closed';
const ADJUSTMENT = 'adj#';

export class DynamoStatementRepository implements StatementRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getClosed(partnerId: string, period: Period): Promise<ClosedStatement | undefined> {
    let marker: { asOf: string; closedAt: string } | undefined;
    const lines: ClosedStatement['lines'] = [];
    const adjustments: StatementAdjustment[] = [];
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'statementKey = :k',
      ExpressionAttributeValues: { ':k': `${partnerId}#${period}` },
    })) {
      const line = String(item.line);
      if (line === MARKER) marker = parseItem(closedMarkerItem, item, this.tableName);
      else if (line.startsWith(ADJUSTMENT)) adjustments.push(parseItem(statementAdjustmentItem, item, this.tableName));
      else lines.push(parseItem(closingLineItem, item, this.tableName));
    }
    if (!marker) return undefined;
    return { partnerId, period, asOf: marker.asOf, closedAt: marker.closedAt, lines, adjustments };
  }

  async putClosed(statement: Omit<ClosedStatement, 'adjustments'>): Promise<void> {
    const statementKey = `${statement.partnerId}#${statement.period}`;
    await batchWrite(
      this.doc,
      this.tableName,
      statement.lines.map((l) => ({
        PutRequest: { Item: { statementKey, line: lineKey(l.accountId, l.serviceKey), ...l } },
      })),
    );
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { statementKey, line: MARKER, asOf: statement.asOf, closedAt: statement.closedAt },
      }),
    );
  }

  async putAdjustments(partnerId: string, period: Period, adjustments: StatementAdjustment[]): Promise<void> {
    const statementKey = `${partnerId}#${period}`;
    await batchWrite(
      this.doc,
      this.tableName,
      adjustments.map((a) => ({
        PutRequest: { Item: { statementKey, line: `${ADJUSTMENT}${lineKey(a.accountId, a.serviceKey)}`, ...a } },
      })),
    );
  }
}
