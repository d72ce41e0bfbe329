import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { retryOnConflict } from '../../dynamo/retry';
import { checkpointItem } from '../checkpoints/deps';
import { planItem } from '../plans/deps';
import { quotaUsageUpdate } from '../quotas/transact';
import type { CatalogImportStore } from './model';

/**
 * The import's writes (docs/decisions.md §26), on the checkpoints' and
 * plans' own item shapes (their deps' `checkpointItem`, `planItem`):
 * - a checkpoint: Put PK=CHECKPOINT#<id> SK=CHECKPOINT if absent, with its project's checkpoint count (+1, no limit);
 * - a plan:       Put PK=PLAN#<id> if absent (a deleted plan's tombstone counts as present), with the plan count.
 * An item already there is `exists`, never overwritten.
 */
export const catalogImportStore = (doc: DynamoDBDocumentClient, table: string): CatalogImportStore => {
  const putIfAbsent = async (item: Record<string, unknown>, count: object): Promise<'imported' | 'exists'> => {
    try {
      await retryOnConflict(() =>
        doc.send(
          new TransactWriteCommand({
            // The item is new, or nothing changes: an import never replaces what the catalog has.
            TransactItems: [{ Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } }, count as never],
          }),
        ),
      );
      return 'imported';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  };
  return {
    importCheckpoint: (c) => putIfAbsent(checkpointItem(c), quotaUsageUpdate(table, c.projectId, 'checkpoints', 1)),
    importPlan: (plan) => putIfAbsent(planItem(plan), quotaUsageUpdate(table, plan.projectId, 'plans', 1)),
  };
};
