import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { placeRange, projectDigest } from '../shared/dynamo/time-list';
import { planKey } from '../shared/features/plans/transact';

/*
 * The raw DynamoDB calls the read routes need, sent straight to DynamoDB
 * Local: the floor sections 1 and 2 hold the routes against.
 */

/** GET plan's floor: one consistent GetItem. */
export const rawShowPlan = (doc: DynamoDBDocumentClient, table: string, id: string) =>
  doc.send(new GetCommand({ TableName: table, Key: planKey(id), ConsistentRead: true }));

/** GET plans?limit=50's floor: one Query of the project's range of GSI1, newest first (from `start`: a deeper page). */
export const rawListPlans = (doc: DynamoDBDocumentClient, table: string, project: string, start?: Record<string, unknown>) => {
  const [lo, hi] = placeRange({ index: 'GSI1', pk: 'PLANS', prefix: projectDigest(project) })!;
  return doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': 'PLANS', ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
      Limit: 50,
      ExclusiveStartKey: start,
    }),
  );
};
