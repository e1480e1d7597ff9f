import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../../core/model';
import type { AccountRepository } from '../../core/ports';
import { accountItem } from './items';
import { parseItem, queryAll } from './support';

export class DynamoAccountRepository implements AccountRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  list(partnerId: string): Promise<Account[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p',
        ExpressionAttributeValues: { ':p': partnerId },
      },
      accountItem,
    );
  }

  async get(partnerId: string, accountId: string): Promise<Account | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { partnerId, accountId } }));
    return res.Item ? parseItem(accountItem, res.Item, this.tableName) : undefined;
  }

  async put(account: Account): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...account } }));
  }
}
