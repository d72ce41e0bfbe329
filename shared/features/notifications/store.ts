import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationGate } from './model';

/** A window's counter outlives it by a day (TTL), long enough to be read as "the previous window". */
const KEEP_SECONDS = 24 * 3600;

const key = (kind: string, windowStart: string) => ({ PK: `NOTIFY#${kind}`, SK: `WINDOW#${windowStart}` });

/** One unindexed counter item per kind and window: `ADD` makes the first writer's answer 1. */
export const dynamoNotificationGate = (doc: DynamoDBDocumentClient, table: string): NotificationGate => ({
  async count(kind, windowStart) {
    const out = await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key(kind, windowStart),
        UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expires': Math.floor(Date.parse(windowStart) / 1000) + KEEP_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.count ?? 1);
  },
  async uncount(kind, windowStart) {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key(kind, windowStart),
        UpdateExpression: 'ADD #count :minus',
        ConditionExpression: '#count > :zero',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
  },
  async counted(kind, windowStart) {
    const out = await doc.send(new GetCommand({ TableName: table, Key: key(kind, windowStart) }));
    return Number(out.Item?.count ?? 0);
  },
});
