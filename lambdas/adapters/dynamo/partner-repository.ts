import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Partner } from '../../core/model';
import { isSyncEnabled } from '../../core/partners';
import type { PartnerRepository } from '../../core/ports';
import { TABLES } from '../../shared/tables';
import { partnerItem } from './items';
import { DEFAULT_PAGE_SIZE, parseItem, queryItems } from './support';

const SYNC_INDEX = TABLES.partners.globalIndexes[0].indexName;

export class DynamoPartnerRepository implements PartnerRepository {
  private readonly pageSize: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    opts: { pageSize?: number } = {},
  ) {
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  async get(partnerId: string): Promise<Partner | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { partnerId } }));
    return res.Item ? parseItem(partnerItem, res.Item, this.tableName) : undefined;
  }

  /** The whole record is written, so `syncEnabled` disappears with a status that is not syncing. */
  async put(partner: Partner): Promise<void> {
    const item = isSyncEnabled(partner.status) ? { ...partner, syncEnabled: 'Y' } : { ...partner };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async *listSyncEnabled(): AsyncGenerator<Partner> {
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: SYNC_INDEX,
      KeyConditionExpression: 'syncEnabled = :y',
      ExpressionAttributeValues: { ':y': 'Y' },
      Limit: this.pageSize,
    })) {
      yield parseItem(partnerItem, item, this.tableName);
    }
  }
}
