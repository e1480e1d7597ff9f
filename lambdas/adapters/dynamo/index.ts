// Wires every DynamoDB repository from one document client and the table names of the environment.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TABLES, TableName } from '../../shared/tables';
import { DynamoAccountRepository } from './account-repository';
import { DynamoAlertRepository } from './alert-repository';
import { DynamoCatalogRepository } from './catalog-repository';
import { DynamoHeldValueRepository } from './held-repository';
import { DynamoAttemptLimiter } from './limit-repository';
import { DynamoMappingRepository } from './mapping-repository';
import { DynamoPartnerRepository } from './partner-repository';
import { DynamoRateBudget } from './rate-budget-repository';
import { DynamoRunRepository } from './run-repository';
import { DynamoStatementRepository } from './statement-repository';
import { DynamoUsageRepository } from './usage-repository';

export { createDocumentClient, createDynamoClient } from './client';

/** `{ TABLE_PARTNERS: '…', … }`: the parsed `Env` fits, so does a test's set of unique names. */
export type TableNames = { [K in TableName as (typeof TABLES)[K]['envVar']]: string };

export interface Repositories {
  partners: DynamoPartnerRepository;
  catalog: DynamoCatalogRepository;
  accounts: DynamoAccountRepository;
  mappings: DynamoMappingRepository;
  usage: DynamoUsageRepository;
  held: DynamoHeldValueRepository;
  runs: DynamoRunRepository;
  statements: DynamoStatementRepository;
  alerts: DynamoAlertRepository;
  limits: DynamoAttemptLimiter;
  budget: DynamoRateBudget;
}

export function createRepositories(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  opts: { pageSize?: number } = {},
): Repositories {
  return {
    partners: new DynamoPartnerRepository(doc, tables.TABLE_PARTNERS, opts),
    catalog: new DynamoCatalogRepository(doc, tables.TABLE_CATALOG),
    accounts: new DynamoAccountRepository(doc, tables.TABLE_ACCOUNTS),
    mappings: new DynamoMappingRepository(doc, tables.TABLE_MAPPINGS),
    usage: new DynamoUsageRepository(doc, tables.TABLE_USAGE, tables.TABLE_USAGE_LINES, opts),
    held: new DynamoHeldValueRepository(doc, tables.TABLE_HELD),
    runs: new DynamoRunRepository(doc, tables.TABLE_RUNS, tables.TABLE_RECEIPTS, opts),
    statements: new DynamoStatementRepository(doc, tables.TABLE_STATEMENTS),
    alerts: new DynamoAlertRepository(doc, tables.TABLE_ALERTS),
    limits: new DynamoAttemptLimiter(doc, tables.TABLE_LIMITS),
    budget: new DynamoRateBudget(doc, tables.TABLE_LIMITS),
  };
}
