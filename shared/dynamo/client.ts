import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as config from '../config';
import { TooLargeError } from '../kernel/errors';
import { traced } from '../observability/tracing';

/** DynamoDB's (and DynamoDB Local's) refusals of an item over 400 KB: "Item size (to update) has exceeded ...". */
const isItemTooLarge = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ValidationException' && /item size (to update )?has exceeded/i.test((error as Error).message ?? '');

/**
 * Turns DynamoDB's refusal of an oversized item into a TooLargeError (413
 * for a request, a recorded reason for a job) rather than an unexpected
 * 500. DynamoDB writes nothing then, so no half-written item is stored.
 */
const itemSizeGuard = (client: DynamoDBClient): void => {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isItemTooLarge(error)) throw new TooLargeError("The request would make a stored item larger than DynamoDB's 400 KB limit.");
        throw error;
      }
    },
    { step: 'initialize', name: 'karborItemSizeGuard' },
  );
};

/**
 * What the local runtime may install to watch every client a handler makes
 * (capacity metering for `npm run bench`, infra/local/dynamo-metering.ts).
 * Never set on Lambda, so the metering code is in no function's bundle. On
 * globalThis: every handler bundle has its own copy of this module.
 */
const CLIENT_HOOK = Symbol.for('karbor.dynamoClientHook');
type WithHook = typeof globalThis & { [CLIENT_HOOK]?: (client: DynamoDBClient) => void };

export const setDynamoClientHook = (hook: ((client: DynamoDBClient) => void) | undefined): void => {
  (globalThis as WithHook)[CLIENT_HOOK] = hook;
};

/** DynamoDB Local accepts any credentials; fixed ones keep a laptop without AWS config working. */
const localEndpoint = (endpoint: string): DynamoDBClientConfig => ({
  endpoint,
  region: config.awsRegion(),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/**
 * DynamoDB clients. `DYNAMODB_ENDPOINT` points them at DynamoDB Local; the
 * local runtime and tests set it, Lambdas on AWS do not.
 */
export const dynamoClient = (clientConfig: DynamoDBClientConfig = {}): DynamoDBClient => {
  const endpoint = config.dynamoEndpoint();
  const client = new DynamoDBClient({ ...(endpoint ? localEndpoint(endpoint) : {}), ...clientConfig });
  itemSizeGuard(client);
  (globalThis as WithHook)[CLIENT_HOOK]?.(client);
  return traced(client);
};

/** A client of the DynamoDB Local at `endpoint`, whatever the settings say (tests, the bench's raw calls). */
export const localDynamoClient = (endpoint: string): DynamoDBClient => dynamoClient(localEndpoint(endpoint));

export const documentClient = (client: DynamoDBClient = dynamoClient()): DynamoDBDocumentClient =>
  // convertClassInstanceToMap: a caller's map whose key is `constructor` (a scheduled operation's definition, a
  // plan's extra_info) is a plain object the marshaller would otherwise take for a class instance and refuse.
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });

export const tableName = (): string => config.tableName();
