import { randomUUID } from 'node:crypto';
import { ensureTable } from '../../infra/local/dynamo-local';
import { documentClient, localDynamoClient } from '../../shared/dynamo/client';

/** The DynamoDB Local the global setup started. */
export const testEndpoint = (): string => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest (global setup)');
  return endpoint;
};

/**
 * Creates a fresh single table for one test file and points TABLE_NAME at it,
 * so files running in parallel never see each other's items.
 */
export const createTestTable = async (prefix = 'test'): Promise<string> => {
  const name = `${prefix}-${randomUUID()}`;
  await ensureTable(testEndpoint(), name);
  process.env.TABLE_NAME = name;
  return name;
};

/** Clients pointed at the test DynamoDB Local. */
export const testClients = () => {
  const client = localDynamoClient(testEndpoint());
  return { client, doc: documentClient(client) };
};

/**
 * A table to protect, apart from Karbor's own (which nobody may protect). It
 * carries no project tag: DynamoDB Local has no tagging, and the local
 * runtime does not scope discovery by tag (KARBOR_TENANT_SCOPING=none).
 */
export const createSourceTable = async (prefix = 'source'): Promise<string> => {
  const name = `${prefix}-${randomUUID()}`;
  await ensureTable(testEndpoint(), name);
  return name;
};
