// Every DynamoDB table, built from the shared definition in lambdas/shared/tables.ts so the stack and the
// local stack cannot drift. Grants are explicit per function and table (lib/access.ts: the actions its code
// sends, on the table or its named indexes, no wildcards); the repositories only Query, so Scan is granted to no one.
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type KeyDefinition, TABLES, type TableDefinition, type TableName } from '../../lambdas/shared/tables';
import type { FunctionAccess } from '../access';
import type { StackConfig } from '../config';

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

  /** Grant each table's declared actions on that table (`QueryIndexes`: Query on its declared indexes) and nothing else. */
  grant(grantee: iam.IGrantable, tables: FunctionAccess['tables']): void {
    for (const [name, actions] of Object.entries(tables) as [TableName, FunctionAccess['tables'][TableName]][]) {
      const arn = this.tables[name].tableArn;
      const onTable = (actions ?? []).filter((a) => a !== 'QueryIndexes');
      if (onTable.length > 0) {
        iam.Grant.addToPrincipal({ grantee, actions: onTable.map((a) => `dynamodb:${a}`), resourceArns: [arn] });
      }
      const indexes = ((TABLES[name] as TableDefinition).globalIndexes ?? []).map((i) => `${arn}/index/${i.indexName}`);
      if (actions?.includes('QueryIndexes') && indexes.length > 0) {
        iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: indexes });
      }
    }
  }
}
