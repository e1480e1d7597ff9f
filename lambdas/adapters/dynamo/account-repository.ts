// The partner's registered accounts: one item per account under the partner's key.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../../core/model';
import type { AccountPage, AccountRepository } from '../../core/ports';
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

  async page(partnerId: string, limit: number, after?: string): Promise<AccountPage> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p',
        ExpressionAttributeValues: { ':p': partnerId },
        Limit: limit,
        ...(after !== undefined && { ExclusiveStartKey: { partnerId, accountId: after } }),
      }),
    );
    const accounts = (res.Items ?? []).map((item) => parseItem(accountItem, item, this.tableName));
    const last = res.LastEvaluatedKey?.['accountId'];
    return { accounts, ...(typeof last === 'string' && { next: last }) };
  }

  async get(partnerId: string, accountId: string): Promise<Account | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { partnerId, accountId } }));
    return res.Item ? parseItem(accountItem, res.Item, this.tableName) : undefined;
  }

  async put(account: Account): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...account } }));
  }
}
