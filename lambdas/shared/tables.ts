// The one definition of every DynamoDB table: keys, indexes, the env variable that carries its name.
// The CDK stack and the local dynalite bootstrap both build tables from this list, so they cannot drift.

export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: KeyType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Logical id, also the suffix of the physical table name. */
  id: string;
  /** The Lambda environment variable holding the physical name. */
  envVar: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  globalIndexes?: IndexDefinition[];
  /** Epoch-seconds attribute DynamoDB expires items by (not emulated by dynalite). */
  ttlAttribute?: string;
}

const s = (name: string): KeyDefinition => ({ name, type: 'S' });

export const TABLES = {
  /**
   * One item per MSP. `syncEnabled` is set only while the nightly sync should run: a sparse index. `fleet` is the
   * same on every partner: one partition of them all by `updatedAt` (their latest activity) for the fleet list — a
   * single hot partition, fine for a read-mostly admin list (10,000 partners are a few MB; writes are one per
   * partner change, far below a partition's limits).
   */
  partners: {
    id: 'Partners',
    envVar: 'TABLE_PARTNERS',
    partitionKey: s('partnerId'),
    globalIndexes: [
      { indexName: 'bySyncEnabled', partitionKey: s('syncEnabled'), sortKey: s('partnerId') },
      { indexName: 'byActivity', partitionKey: s('fleet'), sortKey: s('updatedAt') },
    ],
  },
  /** The vendor's services; `catalogId` is always `default` so the catalog is one Query. */
  catalog: { id: 'Catalog', envVar: 'TABLE_CATALOG', partitionKey: s('catalogId'), sortKey: s('serviceKey') },
  /** Managed companies per MSP. */
  accounts: { id: 'Accounts', envVar: 'TABLE_ACCOUNTS', partitionKey: s('partnerId'), sortKey: s('accountId') },
  /** Gradient-side state per MSP: `account#<accountId>` and `service#<serviceKey>`. */
  mappings: { id: 'Mappings', envVar: 'TABLE_MAPPINGS', partitionKey: s('partnerId'), sortKey: s('mappingKey') },
  /** One item per line and month (`YYYY-MM#account#service`), days as attributes `d01`…`d31`. */
  usage: { id: 'Usage', envVar: 'TABLE_USAGE', partitionKey: s('partnerId'), sortKey: s('lineMonth') },
  /** One item per line (`account#service`) with each month's closing state, for carry-in without history scans. */
  usageLines: { id: 'UsageLines', envVar: 'TABLE_USAGE_LINES', partitionKey: s('partnerId'), sortKey: s('line') },
  /**
   * Run summaries; run ids sort by time so a Query newest-first lists recent runs. `open` is set only while a
   * run is queued or running: a sparse index of the open runs. Beside the runs, each partner's lease (`#lease`).
   */
  runs: {
    id: 'Runs',
    envVar: 'TABLE_RUNS',
    partitionKey: s('partnerId'),
    sortKey: s('runId'),
    globalIndexes: [{ indexName: 'byOpen', partitionKey: s('open'), sortKey: s('runId') }],
    ttlAttribute: 'expiresAt',
  },
  /** Per-line receipts of one run (`partnerId#runId`). */
  receipts: {
    id: 'Receipts',
    envVar: 'TABLE_RECEIPTS',
    partitionKey: s('runKey'),
    sortKey: s('line'),
    ttlAttribute: 'expiresAt',
  },
  /**
   * Legacy: the last value Gradient accepted per line and period (`YYYY-MM#account#service`). Read only by the
   * one-off migration `lambdas/migrations/held-from-accepted.ts` (`npm run migrate:held-values`); kept until every deployment has migrated.
   */
  accepted: { id: 'Accepted', envVar: 'TABLE_ACCEPTED', partitionKey: s('partnerId'), sortKey: s('periodLine') },
  /** What Gradient holds per line (`account#service`), whatever period it was for: the diff basis. */
  held: { id: 'Held', envVar: 'TABLE_HELD', partitionKey: s('partnerId'), sortKey: s('line') },
  /**
   * Closing statements of finished periods (`partnerId#period`): one item per line (`account#service`), the
   * `#closed` marker written last, and `adj#account#service` for each adjustment seen after closing.
   */
  statements: {
    id: 'Statements',
    envVar: 'TABLE_STATEMENTS',
    partitionKey: s('statementKey'),
    sortKey: s('line'),
  },
  /**
   * Billing-health alerts sent to Gradient, one partition per partner and period (`partnerId#period`): an item per
   * `alertId`, and `#refused` when Gradient refused the period's alerts.
   */
  alerts: {
    id: 'Alerts',
    envVar: 'TABLE_ALERTS',
    partitionKey: s('alertsKey'),
    sortKey: s('alertId'),
    ttlAttribute: 'expiresAt',
  },
  /**
   * Attempt counters of the API's rate limits, one item per limit, subject and window (`<limit>#<id>#<start>`), and
   * the shared Gradient rate budget, one item per scope and second (`gradient-rate#<scope>#<second>`).
   */
  limits: { id: 'Limits', envVar: 'TABLE_LIMITS', partitionKey: s('limitKey'), ttlAttribute: 'expiresAt' },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;
export const ALL_TABLES: TableDefinition[] = Object.values(TABLES);
