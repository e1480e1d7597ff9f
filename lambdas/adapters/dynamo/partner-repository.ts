// Partners: one item each, with the index keys the repository adds on every put (`syncEnabled` while syncing,
// `fleet` always) so the nightly and the fleet list read by index, never by Scan.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Partner } from '../../core/model';
import { isSyncEnabled } from '../../core/partners';
import type { PartnerRepository } from '../../core/ports';
import { TABLES } from '../../shared/tables';
import { partnerItem } from './items';
import { DEFAULT_PAGE_SIZE, type Item, parseItem, queryItems } from './support';

const SYNC_INDEX = TABLES.partners.globalIndexes[0].indexName;
const ACTIVITY_INDEX = TABLES.partners.globalIndexes[1].indexName;
/** The one partition key value of the activity index. */
const FLEET = 'partners';

/** A partner item with its fleet index key: what `put` writes, and the upgrade of an item written before it. */
export const withFleetKey = (item: Item): Item => ({ ...item, fleet: FLEET });

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
  async put(partner: Partner): Promise<Partner | undefined> {
    const item = isSyncEnabled(partner.status) ? { ...partner, syncEnabled: 'Y' } : { ...partner };
    const res = await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: withFleetKey(item), ReturnValues: 'ALL_OLD' }),
    );
    return res.Attributes ? parseItem(partnerItem, res.Attributes, this.tableName) : undefined;
  }

  /** A status filter reads past the partners of other statuses (one index for all): cheap at fleet sizes. */
  async listByActivity(query: Parameters<PartnerRepository['listByActivity']>[0]): Promise<Partner[]> {
    const partners: Partner[] = [];
    if (query.limit <= 0) return partners;
    const startKey = query.after && { fleet: FLEET, ...query.after };
    for await (const item of queryItems(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: ACTIVITY_INDEX,
        KeyConditionExpression: 'fleet = :f',
        ScanIndexForward: false,
        Limit: Math.min(query.limit, this.pageSize),
        ...(query.status === undefined
          ? { ExpressionAttributeValues: { ':f': FLEET } }
          : {
              FilterExpression: '#status = :s',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':f': FLEET, ':s': query.status },
            }),
      },
      startKey,
    )) {
      partners.push(parseItem(partnerItem, item, this.tableName));
      if (partners.length >= query.limit) break;
    }
    return partners;
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
