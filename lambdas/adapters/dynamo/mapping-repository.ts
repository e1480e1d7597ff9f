import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountMapping, ServiceMapping } from '../../core/model';
import type { MappingRepository } from '../../core/ports';
import { accountMappingItem, serviceMappingItem } from './items';
import { batchWrite, deletePartition, type Item, queryAll } from './support';

const accountKey = (accountId: string) => `account#${accountId}`;
const serviceKey = (key: string) => `service#${key}`;

export class DynamoMappingRepository implements MappingRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listAccounts(partnerId: string): Promise<AccountMapping[]> {
    return this.listPrefix(partnerId, 'account#', accountMappingItem);
  }

  listServices(partnerId: string): Promise<ServiceMapping[]> {
    return this.listPrefix(partnerId, 'service#', serviceMappingItem);
  }

  putAccounts(mappings: AccountMapping[]): Promise<void> {
    return this.putAll(mappings.map((m) => ({ ...m, mappingKey: accountKey(m.accountId) })));
  }

  putServices(mappings: ServiceMapping[]): Promise<void> {
    return this.putAll(mappings.map((m) => ({ ...m, mappingKey: serviceKey(m.serviceKey) })));
  }

  deleteAll(partnerId: string): Promise<void> {
    return deletePartition(this.doc, this.tableName, 'partnerId', 'mappingKey', partnerId);
  }

  private listPrefix<T>(partnerId: string, prefix: string, schema: Parameters<typeof queryAll<T>>[2]): Promise<T[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p AND begins_with(mappingKey, :k)',
        ExpressionAttributeValues: { ':p': partnerId, ':k': prefix },
      },
      schema,
    );
  }

  /** A batch may not name one key twice: the last mapping of a key wins, as sequential puts would. */
  private putAll(items: Array<Item & { partnerId: string; mappingKey: string }>): Promise<void> {
    const unique = new Map(items.map((item) => [`${item.partnerId}\u0000${item.mappingKey}`, item]));
    return batchWrite(
      this.doc,
      this.tableName,
      [...unique.values()].map((Item) => ({ PutRequest: { Item } })),
    );
  }
}
