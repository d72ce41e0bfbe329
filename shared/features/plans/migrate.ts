import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LEGACY_INDEX_ATTRIBUTES, planIndexKeys } from './store';

/**
 * The one-off migration of plans to one index (docs/decisions.md §16): every live
 * plan gets its one GSI1 entry and loses the keys of the per-order indexes
 * (GSI2..GSI10). Not a request path, so it may Scan (once, over the table).
 * Idempotent and safe beside live traffic: a plan deleted meanwhile is
 * skipped (its tombstone has no index keys), an update meanwhile writes the
 * same keys (shared/features/plans/store.ts `update`).
 */
export const migratePlanIndex = async (doc: DynamoDBDocumentClient, table: string): Promise<{ plans: number; migrated: number }> => {
  let plans = 0;
  let migrated = 0;
  const scan = paginateScan(
    { client: doc },
    {
      TableName: table,
      FilterExpression: '#entity = :plan AND #deleted = :false',
      ProjectionExpression: 'PK, SK, id, project_id, created_at, GSI1PK, GSI1SK, GSI2PK',
      ExpressionAttributeNames: { '#entity': 'entity', '#deleted': 'deleted' },
      ExpressionAttributeValues: { ':plan': 'plan', ':false': false },
    },
  );
  for await (const page of scan) {
    for (const item of page.Items ?? []) {
      plans += 1;
      const keys = planIndexKeys({ projectId: String(item.project_id), createdAt: String(item.created_at), id: String(item.id) });
      if (item.GSI1PK === keys.GSI1PK && item.GSI1SK === keys.GSI1SK && item.GSI2PK === undefined) continue;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: { PK: item.PK, SK: item.SK },
            UpdateExpression: `SET GSI1PK = :pk, GSI1SK = :sk REMOVE ${LEGACY_INDEX_ATTRIBUTES.join(', ')}`,
            ConditionExpression: '#deleted = :false',
            ExpressionAttributeNames: { '#deleted': 'deleted' },
            ExpressionAttributeValues: { ':pk': keys.GSI1PK, ':sk': keys.GSI1SK, ':false': false },
          }),
        );
        migrated += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
  return { plans, migrated };
};
