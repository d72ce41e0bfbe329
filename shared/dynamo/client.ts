import { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TABLE_NAME } from './table';
import { meter } from './metering';

/**
 * DynamoDB clients. `DYNAMODB_ENDPOINT` points them at DynamoDB Local; the
 * local runtime and tests set it, Lambdas on AWS do not.
 */
export const dynamoClient = (config: DynamoDBClientConfig = {}, env: NodeJS.ProcessEnv = process.env): DynamoDBClient => {
  const endpoint = env.DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: env.AWS_REGION ?? 'us-east-1',
          // DynamoDB Local accepts any credentials; fixed ones keep a laptop without AWS config working.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...config,
  });
  if (env.KARBOR_DYNAMO_METER === '1') meter(client);
  return client;
};

export const documentClient = (client: DynamoDBClient = dynamoClient()): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = (env: NodeJS.ProcessEnv = process.env): string => env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
