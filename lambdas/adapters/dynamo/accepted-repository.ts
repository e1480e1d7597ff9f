import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AcceptedValue, Period } from '../../core/model';
import type { AcceptedValueRepository } from '../../core/ports';
import { acceptedItem } from './items';
import { deletePartition, queryAll } from './support';

export class DynamoAcceptedValueRepository implements AcceptedValueRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listForPeriod(partnerId: string, period: Period): Promise<AcceptedValue[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p AND begins_with(periodLine, :k)',
        ExpressionAttributeValues: { ':p': partnerId, ':k': `${period}#` },
      },
      acceptedItem,
    );
  }

  async put(value: AcceptedValue): Promise<void> {
    const periodLine = `${value.period}#${value.accountId}#${value.serviceKey}`;
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...value, periodLine } }));
  }

  deleteAll(partnerId: string): Promise<void> {
    return deletePartition(this.doc, this.tableName, 'partnerId', 'periodLine', partnerId);
  }
}
