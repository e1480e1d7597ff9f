// What Gradient holds per line of a partner: one item per (account, service), keyed `account#service`, Query only.
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldValue } from '../../core/model';
import { lineKey } from '../../core/model';
import type { HeldValueRepository } from '../../core/ports';
import { heldItem } from './items';
import { deletePartition, queryAll } from './support';

export class DynamoHeldValueRepository implements HeldValueRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  list(partnerId: string): Promise<HeldValue[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p',
        ExpressionAttributeValues: { ':p': partnerId },
      },
      heldItem,
    );
  }

  async put(value: HeldValue): Promise<void> {
    const line = lineKey(value.accountId, value.serviceKey);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...value, line } }));
  }

  deleteAll(partnerId: string): Promise<void> {
    return deletePartition(this.doc, this.tableName, 'partnerId', 'line', partnerId);
  }
}
