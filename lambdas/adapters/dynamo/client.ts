// DynamoDB clients for the repositories. `new DynamoDBClient({...})` without an endpoint honours
// AWS_ENDPOINT_URL_DYNAMODB, so the same code talks to dynalite locally.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';

/** Optional model fields stay absent instead of failing the marshalling. */
export const TRANSLATE_CONFIG: TranslateConfig = {
  marshallOptions: { removeUndefinedValues: true },
};

/** Every call has a bound: a stuck connection must not eat a Lambda's whole budget. */
export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
    ...config,
  });
}

export function createDocumentClient(client: DynamoDBClient = createDynamoClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, TRANSLATE_CONFIG);
}
