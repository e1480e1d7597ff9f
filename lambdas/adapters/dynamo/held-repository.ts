// What Gradient holds per line of a partner: one item per (account, service), keyed `account#service`, and beside
// them the lines Gradient refused, keyed `#refused#account#service`. Line keys start with a letter or digit, so a
// range condition tells the two apart. Query only.
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldValue, Refusal } from '../../core/model';
import { lineKey } from '../../core/model';
import type { HeldValueRepository } from '../../core/ports';
import { heldItem, refusalItem } from './items';
import { deletePartition, queryAll } from './support';

const REFUSED = '#refused#';
/** Every line key sorts at or after this (ids start with a letter or digit); the '#' items sort before it. */
const FIRST_LINE = '0';
const refusedKey = (accountId: string, serviceKey: string) => `${REFUSED}${lineKey(accountId, serviceKey)}`;

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
        KeyConditionExpression: 'partnerId = :p AND line >= :first',
        ExpressionAttributeValues: { ':p': partnerId, ':first': FIRST_LINE },
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

  listRefusals(partnerId: string): Promise<Refusal[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p AND begins_with(line, :r)',
        ExpressionAttributeValues: { ':p': partnerId, ':r': REFUSED },
      },
      refusalItem,
    );
  }

  async putRefusal(refusal: Refusal): Promise<void> {
    const line = refusedKey(refusal.accountId, refusal.serviceKey);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...refusal, line } }));
  }

  async deleteRefusal(partnerId: string, accountId: string, serviceKey: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { partnerId, line: refusedKey(accountId, serviceKey) } }),
    );
  }
}
