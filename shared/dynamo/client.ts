import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { meter } from './metering';
import * as config from '../config';

/**
 * DynamoDB clients. `DYNAMODB_ENDPOINT` points them at DynamoDB Local; the
 * local runtime and tests set it, Lambdas on AWS do not.
 */
export const dynamoClient = (clientConfig: DynamoDBClientConfig = {}, env?: config.Env): DynamoDBClient => {
  const endpoint = config.dynamoEndpoint(env);
  const client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: config.awsRegion(env),
          // DynamoDB Local accepts any credentials; fixed ones keep a laptop without AWS config working.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...clientConfig,
  });
  if (config.dynamoMeter(env)) meter(client);
  return client;
};

export const documentClient = (client: DynamoDBClient = dynamoClient()): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = (env?: config.Env): string => config.tableName(env);
