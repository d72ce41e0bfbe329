import { startDynamoLocal } from '../../infra/local/dynamo-local';

/**
 * Starts one in-memory DynamoDB Local for the whole jest run. Workers inherit
 * DYNAMODB_ENDPOINT; each test file makes its own table (test/support/dynamo.ts).
 */
export default async function globalSetup(): Promise<void> {
  // Node 20 is our local runtime and the SDK is pinned by the lock file: its Node 22 notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __karborDynamo?: typeof dynamo }).__karborDynamo = dynamo;
}
