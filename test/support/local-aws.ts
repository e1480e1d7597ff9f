// Local AWS for integration tests: in-memory dynalite with freshly named tables and the Secrets Manager
// emulator, both on loopback with ephemeral ports. Call close() in afterAll.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client';
import { createRepositories, type Repositories, type TableNames } from '../../lambdas/adapters/dynamo/index';
import { ALL_TABLES } from '../../lambdas/shared/tables';
import { ensureTables, startDynalite } from '../../local/dynalite';
import { type SecretsManagerEmulator, startSecretsManagerEmulator } from '../../local/secrets-manager-emulator';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalAws {
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  dynamoEndpoint: string;
  tableNames: TableNames;
  repos: Repositories;
  secretsUrl: string;
  secrets: SecretsManagerClient;
  secretsEmulator: SecretsManagerEmulator;
  close(): Promise<void>;
}

export async function startLocalAws(opts: { pageSize?: number; secretsDataFile?: string } = {}): Promise<LocalAws> {
  // Fake credentials so no SDK client ever looks for real ones.
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;

  const local = await startDynalite();
  const secretsEmulator = await startSecretsManagerEmulator({ dataFile: opts.secretsDataFile });
  const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  const dynamo = new DynamoDBClient({ ...client, endpoint: local.endpoint });
  const secrets = new SecretsManagerClient({ ...client, endpoint: secretsEmulator.url });
  const doc = createDocumentClient(dynamo);

  const prefix = `t${randomBytes(4).toString('hex')}`;
  const tableNames = Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `${prefix}-${t.id}`])) as TableNames;
  await ensureTables(dynamo, tableNames);

  return {
    dynamo,
    doc,
    dynamoEndpoint: local.endpoint,
    tableNames,
    repos: createRepositories(doc, tableNames, { pageSize: opts.pageSize }),
    secretsUrl: secretsEmulator.url,
    secrets,
    secretsEmulator,
    close: async () => {
      dynamo.destroy();
      secrets.destroy();
      await Promise.all([local.close(), secretsEmulator.close()]);
    },
  };
}
