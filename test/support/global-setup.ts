import { startDynamoLocal } from '../../infra/local/dynamo-local';
import { scrubEnv } from './hermetic-env';

/**
 * Starts one in-memory DynamoDB Local for the whole jest run. Workers inherit
 * DYNAMODB_ENDPOINT and an environment without the user's settings; each
 * test file makes its own table (test/support/dynamo.ts).
 */
export default async function globalSetup(): Promise<void> {
  // The user's KARBOR_*, PORT, AWS_* ... never reach a test (./hermetic-env.ts).
  scrubEnv();
  const dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __karborDynamo?: typeof dynamo }).__karborDynamo = dynamo;
}
