import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogService } from '../../core/model';
import type { CatalogRepository } from '../../core/ports';
import { catalogItem } from './items';
import { parseItem, queryAll } from './support';

/** The catalog is one partition so listing it is a single Query. */
const CATALOG_ID = 'default';

export class DynamoCatalogRepository implements CatalogRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  list(): Promise<CatalogService[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'catalogId = :c',
        ExpressionAttributeValues: { ':c': CATALOG_ID },
      },
      catalogItem,
    );
  }

  async get(serviceKey: string): Promise<CatalogService | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { catalogId: CATALOG_ID, serviceKey } }),
    );
    return res.Item ? parseItem(catalogItem, res.Item, this.tableName) : undefined;
  }

  async put(service: CatalogService): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...service, catalogId: CATALOG_ID } }));
  }
}
