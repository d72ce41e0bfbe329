import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { planKey } from '../shared/features/plans/store';

/*
 * The raw DynamoDB calls the read routes need, sent straight to DynamoDB
 * Local: the floor sections 1 and 2 hold the routes against.
 */

/** GET plan's floor: one consistent GetItem. */
export const rawShowPlan = (doc: DynamoDBDocumentClient, table: string, id: string) =>
  doc.send(new GetCommand({ TableName: table, Key: planKey(id), ConsistentRead: true }));

/** GET plans?limit=50's floor: one Query of GSI1, newest first. */
export const rawListPlans = (doc: DynamoDBDocumentClient, table: string, project: string) =>
  doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': `PLANS#${project}` },
      ScanIndexForward: false,
      Limit: 50,
    }),
  );
