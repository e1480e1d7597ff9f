// Every DynamoDB table, built from the shared definition in lambdas/shared/tables.ts so the stack and the
// local stack cannot drift. Grants are explicit (table + named indexes, no wildcards) per function; the
// repositories only Query (never Scan), so Scan is granted to no one.
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type KeyDefinition, TABLES, type TableDefinition, type TableName } from '../../lambdas/shared/tables';
import type { StackConfig } from '../config';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

export type TableAccess = 'read' | 'write' | 'readWrite';

const attribute = (k: KeyDefinition): dynamodb.Attribute => ({
  name: k.name,
  type: k.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
});

export class DataTables extends Construct {
  readonly tables: Record<TableName, dynamodb.TableV2>;

  constructor(scope: Construct, id: string, props: { config: StackConfig }) {
    super(scope, id);
    const { retainData, removalPolicy } = props.config;
    const entries = (Object.entries(TABLES) as [TableName, TableDefinition][]).map(([name, def]) => {
      const table = new dynamodb.TableV2(this, def.id, {
        partitionKey: attribute(def.partitionKey),
        sortKey: def.sortKey ? attribute(def.sortKey) : undefined,
        billing: dynamodb.Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        timeToLiveAttribute: def.ttlAttribute,
        deletionProtection: retainData,
        removalPolicy,
        globalSecondaryIndexes: (def.globalIndexes ?? []).map((index) => ({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
          projectionType: dynamodb.ProjectionType.ALL,
        })),
      });
      return [name, table] as const;
    });
    this.tables = Object.fromEntries(entries) as Record<TableName, dynamodb.TableV2>;
  }

  /** The `envVar → physical name` map every function receives. */
  environment(): Record<string, string> {
    return Object.fromEntries(
      (Object.entries(TABLES) as [TableName, TableDefinition][]).map(([name, def]) => [
        def.envVar,
        this.tables[name].tableName,
      ]),
    );
  }

  /** Grant `access` on the named tables and their declared indexes (and nothing else). */
  grant(grantee: iam.IGrantable, access: TableAccess, names: readonly TableName[]): void {
    const actions = new Set<string>([
      ...(access === 'write' ? [] : READ_ACTIONS),
      ...(access === 'read' ? [] : WRITE_ACTIONS),
    ]);
    const resources = names.flatMap((name) => {
      const def: TableDefinition = TABLES[name];
      const arn = this.tables[name].tableArn;
      // Indexes are only ever read: write access stays on the base table.
      const indexes = access === 'write' ? [] : (def.globalIndexes ?? []).map((i) => `${arn}/index/${i.indexName}`);
      return [arn, ...indexes];
    });
    iam.Grant.addToPrincipal({ grantee, actions: [...actions].sort(), resourceArns: resources });
  }
}
