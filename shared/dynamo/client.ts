import { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { meter } from './metering';
import { config, type Config } from '../config';

/**
 * DynamoDB clients. `DYNAMODB_ENDPOINT` points them at DynamoDB Local; the
 * local runtime and tests set it, Lambdas on AWS do not.
 */
export const dynamoClient = (clientConfig: DynamoDBClientConfig = {}, cfg: Config = config): DynamoDBClient => {
  const endpoint = cfg.dynamoEndpoint;
  const client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: cfg.awsRegion,
          // DynamoDB Local accepts any credentials; fixed ones keep a laptop without AWS config working.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...clientConfig,
  });
  if (cfg.dynamoMeter) meter(client);
  return client;
};

export const documentClient = (client: DynamoDBClient = dynamoClient()): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = (cfg: Pick<Config, 'tableName'> = config): string => cfg.tableName;
