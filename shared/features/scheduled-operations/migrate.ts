import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateScan, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { retryOnConflict } from '../../dynamo/retry';
import { planUsageUpdate } from '../plans/transact';
import { legacyTriggerCountRelease } from '../triggers/transact';
import { bindingUpdate } from './transact';
import { operationIndexKeys } from './store';

/**
 * The one-off migration of scheduled operations of schemaVersion 1 to one
 * index entry and binding items (docs/decisions.md §17). Per operation, one
 * transaction: its GSI1 entry moves to the shared partition, its GSI2/GSI3
 * keys go, and its binding moves from the trigger's `operationCount` and the
 * plan's `scheduledOperationIds` to their binding items. Not a request path,
 * so it may Scan (once, over the table). Idempotent and safe beside live
 * traffic: an operation deleted or migrated meanwhile fails the condition on
 * its schemaVersion and is skipped.
 */
export const migrateOperationIndex = async (doc: DynamoDBDocumentClient, table: string): Promise<{ operations: number; migrated: number }> => {
  let operations = 0;
  let migrated = 0;
  const scan = paginateScan(
    { client: doc },
    {
      TableName: table,
      FilterExpression: '#entity = :entity AND schemaVersion = :v1',
      ProjectionExpression: 'PK, SK, id, projectId, createdAt, triggerId, operationDefinition',
      ExpressionAttributeNames: { '#entity': 'entity' },
      ExpressionAttributeValues: { ':entity': 'scheduledOperation', ':v1': 1 },
    },
  );
  for await (const page of scan) {
    for (const item of page.Items ?? []) {
      operations += 1;
      const op = { id: String(item.id), projectId: String(item.projectId), createdAt: String(item.createdAt) };
      const triggerId = String(item.triggerId);
      const planId = String((item.operationDefinition as Record<string, string>).plan_id);
      const keys = operationIndexKeys(op);
      try {
        await retryOnConflict(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: table,
                    Key: { PK: item.PK, SK: item.SK },
                    UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk, schemaVersion = :v2 REMOVE GSI2PK, GSI2SK, GSI3PK, GSI3SK',
                    ConditionExpression: 'schemaVersion = :v1',
                    ExpressionAttributeValues: { ':pk': keys.GSI1PK, ':sk': keys.GSI1SK, ':v1': 1, ':v2': 2 },
                  },
                },
                legacyTriggerCountRelease(table, triggerId),
                bindingUpdate(table, 'TRIGGER', triggerId, op.id, 'ADD'),
                planUsageUpdate(table, op.projectId, planId, op.id, 'DELETE'),
                bindingUpdate(table, 'PLAN', planId, op.id, 'ADD'),
              ],
            }),
          ),
        );
        migrated += 1;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')) throw error;
      }
    }
  }
  return { operations, migrated };
};
