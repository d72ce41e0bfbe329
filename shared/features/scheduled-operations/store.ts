import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryItems } from '../../dynamo/query';
import { NotFoundError } from '../../kernel/errors';
import type { LastRun, OperationListQuery, ScheduledOperation, ScheduledOperationStore } from './model';
import { nameOrIdPage, projectListing } from '../../dynamo/paging';
import { planUsageUpdate } from '../plans/store';
import { retryOnConflict } from '../../dynamo/retry';
import { triggerKey } from '../triggers/store';

/**
 * Scheduled-operation items. Access patterns:
 * - by id (show/delete, markers): GetItem PK=OPERATION#<id> SK=OPERATION
 * - a project's operations by created_at: Query GSI1 PK=OPERATIONS#PROJECT#<p>, SK=<createdAt>#<id>
 * - every operation by created_at (admin all_tenants): Query GSI2 PK=OPERATIONS, SK=<createdAt>#<id>
 * - the operations bound to a trigger (fire-trigger): Query GSI3 PK=OPERATIONS#TRIGGER#<trigger id>, SK=<id>
 * - the latest run (fire-trigger): UpdateItem of `lastRun`, only if the item exists and holds no later run
 * Binding: create and delete are one TransactWriteItems with the trigger's
 * `operationCount` (ADD +1/-1) and the plan's `scheduledOperationIds` set
 * (shared/features/plans/store.ts `planUsageUpdate`), so a trigger or plan in use
 * can never be deleted and no operation outlives them.
 */
const OPERATION_ENTITY = 'scheduledOperation';
const SCHEMA_VERSION = 1;

const operationKey = (id: string) => ({ PK: `OPERATION#${id}`, SK: 'OPERATION' });
const byTriggerPk = (triggerId: string) => `OPERATIONS#TRIGGER#${triggerId}`;

type Item = Record<string, unknown>;

/** An operation's stored item (npm run bench seeds large fleets with it). */
export const toOperationItem = (op: ScheduledOperation): Item => ({
  ...operationKey(op.id),
  ...listing.indexKeys(op.projectId, op.createdAt, op.id),
  GSI3PK: byTriggerPk(op.triggerId),
  GSI3SK: op.id,
  entity: OPERATION_ENTITY,
  schemaVersion: SCHEMA_VERSION,
  id: op.id,
  projectId: op.projectId,
  userId: op.userId,
  name: op.name,
  description: op.description,
  operationType: op.operationType,
  triggerId: op.triggerId,
  operationDefinition: op.operationDefinition,
  enabled: op.enabled,
  createdAt: op.createdAt,
});

const fromItem = (i: Item): ScheduledOperation => ({
  id: i.id as string,
  projectId: i.projectId as string,
  userId: i.userId as string,
  name: i.name as string,
  description: (i.description ?? null) as string | null,
  operationType: i.operationType as string,
  triggerId: i.triggerId as string,
  operationDefinition: (i.operationDefinition ?? {}) as Record<string, string>,
  enabled: i.enabled !== false,
  createdAt: i.createdAt as string,
  lastRun: (i.lastRun ?? null) as LastRun | null,
});

const listing = projectListing({
  prefix: 'OPERATIONS',
  key: operationKey,
  map: fromItem,
  notFound: (id) => `Scheduled Operation ${id} could not be found.`,
});

/** Which transaction entry failed its condition, from CancellationReasons. */
const failedIndex = (error: TransactionCanceledException): number => (error.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');

export const dynamoScheduledOperationStore = (doc: DynamoDBDocumentClient, table: string): ScheduledOperationStore => {
  const store: ScheduledOperationStore = {
    async create(op) {
      try {
        await retryOnConflict(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: table, Item: toOperationItem(op), ConditionExpression: 'attribute_not_exists(PK)' } },
                {
                  Update: {
                    TableName: table,
                    Key: triggerKey(op.triggerId),
                    UpdateExpression: 'ADD operationCount :one',
                    // The trigger must still exist in this project: a concurrent delete either wins (we fail) or waits for count 0.
                    ConditionExpression: 'attribute_exists(PK) AND projectId = :project',
                    ExpressionAttributeValues: { ':one': 1, ':project': op.projectId },
                    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                  },
                },
                planUsageUpdate(table, op.projectId, op.operationDefinition.plan_id, op.id, 'ADD'),
              ],
            }),
          ),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const at = failedIndex(error);
          if (at === 1) throw new NotFoundError(`Trigger ${op.triggerId} could not be found.`);
          if (at === 2) throw new NotFoundError(`Plan ${op.operationDefinition.plan_id} could not be found.`);
        }
        throw error;
      }
    },
    async get(id) {
      const res = await doc.send(new GetCommand({ TableName: table, Key: operationKey(id), ConsistentRead: true }));
      return res.Item ? fromItem(res.Item) : undefined;
    },
    async delete(op) {
      try {
        await retryOnConflict(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                // Deleted once: a concurrent delete of the same operation must not decrement twice.
                { Delete: { TableName: table, Key: operationKey(op.id), ConditionExpression: 'attribute_exists(PK)' } },
                {
                  Update: {
                    TableName: table,
                    Key: triggerKey(op.triggerId),
                    UpdateExpression: 'ADD operationCount :minus',
                    // Never create a stray trigger item.
                    ConditionExpression: 'attribute_exists(PK)',
                    ExpressionAttributeValues: { ':minus': -1 },
                  },
                },
                planUsageUpdate(table, op.projectId, op.operationDefinition.plan_id, op.id, 'DELETE'),
              ],
            }),
          ),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException && failedIndex(error) === 0) {
          throw new NotFoundError(`Scheduled Operation ${op.id} could not be found.`);
        }
        throw error;
      }
    },
    async list(q: OperationListQuery) {
      const read = (r: OperationListQuery) => listing.page(doc, table, r);
      return (await nameOrIdPage(q, read, listing.notFound)) ?? read(q);
    },
    async recordRun(id, run) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: operationKey(id),
            UpdateExpression: 'SET lastRun = :run',
            // Concurrent firings may finish out of order: an earlier run never hides a later one.
            ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(lastRun) OR lastRun.#time <= :time)',
            ExpressionAttributeNames: { '#time': 'time' },
            ExpressionAttributeValues: { ':run': run, ':time': run.time },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    async listByTrigger(triggerId) {
      const page = await queryItems({ doc, table, index: 'GSI3', pk: byTriggerPk(triggerId), ascending: true, limit: Infinity, map: fromItem });
      return page.items;
    },
  };
  return store;
};
