import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamoClient, tableName } from './client';
import { TABLE } from './table';

/**
 * Where Powertools keeps Idempotency-Key records: the single table, under
 * one partition (`IDEMPOTENCY`; the sort key is the hashed key, which holds
 * the project, so DynamoDB can split the partition by key range), expiring
 * through the table's TTL attribute. No index sees these items.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY';

export const idempotencyStore = (): DynamoDBPersistenceLayer =>
  new DynamoDBPersistenceLayer({
    tableName: tableName(),
    awsSdkV3Client: dynamoClient(),
    keyAttr: TABLE.partitionKey.name,
    sortKeyAttr: TABLE.sortKey.name,
    staticPkValue: IDEMPOTENCY_PARTITION,
    expiryAttr: TABLE.ttlAttribute,
  });
