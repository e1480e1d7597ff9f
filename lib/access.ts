// What each Lambda may do to the tables, the partner and vendor secrets and the work queue: exactly the calls its
// code sends, nothing more. test/infra/grants.test.ts derives those calls from the handlers' bundles and fails
// on any difference, so a change in the code that needs a new action, table or secret call fails there first.
// A new table is one line in the function's `tables` (its keys and indexes come from lambdas/shared/tables.ts).
import type { TableName } from '../lambdas/shared/tables';

/** DynamoDB actions a repository sends; `QueryIndexes` is Query on the table's declared global indexes. */
export type TableAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'Query'
  | 'QueryIndexes';

/** Secrets Manager actions on the partner secrets (`<PartnerSecretPrefix><partnerId>`). */
export type PartnerSecretAction = 'CreateSecret' | 'TagResource' | 'PutSecretValue' | 'GetSecretValue' | 'DeleteSecret';

export interface FunctionAccess {
  readonly tables: Partial<Record<TableName, readonly TableAction[]>>;
  readonly partnerSecrets?: readonly PartnerSecretAction[];
  /** GetSecretValue on the Vendor API key secret. */
  readonly vendorKey?: boolean;
  /** SendMessage to the work queue: it authorizes SendMessageBatch too (the planner's batches). */
  readonly sendWork?: boolean;
}

export type FunctionName = 'planner' | 'worker' | 'api';

export const FUNCTION_ACCESS = {
  // buildPlannerDeps: partners (the sync-enabled index) and runs only.
  planner: {
    tables: { partners: ['QueryIndexes'], runs: ['PutItem'] },
    sendWork: true,
  },
  worker: {
    tables: {
      partners: ['GetItem', 'PutItem'],
      catalog: ['Query'],
      accounts: ['GetItem', 'Query'],
      mappings: ['Query', 'BatchWriteItem'],
      usage: ['Query'],
      usageLines: ['Query'],
      // DeleteItem: a refusal is forgotten once Gradient accepts the line.
      held: ['Query', 'PutItem', 'DeleteItem'],
      // DeleteItem: the partner lease is released by a conditional delete. Query: the alerts read the runs before.
      runs: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      receipts: ['Query', 'PutItem', 'BatchWriteItem'],
      // The shared Gradient rate budget: a conditional update per claim; GetItem: the lanes' counters of the
      // second that ended, read once a second.
      limits: ['UpdateItem', 'GetItem'],
      // Billing-health alerts: claimed by a conditional put, then updated with Gradient's answer.
      alerts: ['Query', 'PutItem', 'UpdateItem'],
    },
    partnerSecrets: ['GetSecretValue'],
    vendorKey: true,
    // A run whose partner is busy waits: the worker sends its message again with a delay.
    sendWork: true,
  },
  api: {
    tables: {
      // QueryIndexes: the fleet list reads the partners by their activity index.
      partners: ['GetItem', 'PutItem', 'QueryIndexes'],
      catalog: ['GetItem', 'PutItem', 'Query'],
      accounts: ['GetItem', 'PutItem', 'Query'],
      mappings: ['Query', 'BatchWriteItem'],
      // Query: a statement computes the period's lines; GetItem: the usage read-back reads one line's month and
      // its closing states by key.
      usage: ['UpdateItem', 'Query', 'GetItem'],
      usageLines: ['UpdateItem', 'Query', 'GetItem'],
      held: ['Query', 'BatchWriteItem'],
      // DeleteItem: a resync's Idempotency-Key claim is forgotten when queuing failed.
      runs: ['GetItem', 'PutItem', 'Query', 'DeleteItem'],
      // Read only: the run view and the account history list receipts; only the worker writes them.
      receipts: ['Query'],
      // The per-partner limit on connection tests (a conditional ADD per attempt) and the shared rate budget (and
      // its lanes' counters of the second that ended, GetItem).
      limits: ['UpdateItem', 'GetItem'],
      // A statement closes on its first read after the period: its lines, then its marker; adjustments later.
      statements: ['Query', 'BatchWriteItem', 'PutItem'],
      // Read only: the list of a period's billing-health alerts.
      alerts: ['Query'],
    },
    // Tags on CreateSecret need TagResource; DescribeSecret is never called.
    partnerSecrets: ['CreateSecret', 'TagResource', 'PutSecretValue', 'GetSecretValue', 'DeleteSecret'],
    vendorKey: true,
    sendWork: true,
  },
} as const satisfies Record<FunctionName, FunctionAccess>;
