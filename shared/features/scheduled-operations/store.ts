import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../../dynamo/batch-get';
import { queryItems } from '../../dynamo/query';
import { markerItem, nameOrIdPage, projectDigest, projectTimeList } from '../../dynamo/time-list';
import { retryOnConflict } from '../../dynamo/retry';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { expectationRemove, expectationSet, planLiveCheck, planUsageUpdate } from '../plans/transact';
import { legacyTriggerCountRelease, triggerLiveCheck } from '../triggers/transact';
import { bindingKey, bindingUpdate, operationKey } from './transact';
import type { LastRun, OperationListQuery, ScheduledOperation, ScheduledOperationStore } from './model';

/**
 * Scheduled-operation items. Access patterns:
 * - by id (show/delete, markers): GetItem PK=OPERATION#<id> SK=OPERATION
 * - every operation, a project's as one range by created_at: Query GSI1
 *   PK=OPERATIONS, SK=<project digest>#<createdAt>#<id> (shared/dynamo/time-list.ts):
 *   created_at in a project pages straight from it; all_tenants and the
 *   name/id orders read at most SORT_CAP operations and sort them in memory
 * - the operations bound to a trigger (fire-trigger): GetItem of the
 *   trigger's binding item, then BatchGetItem of the operations
 * - the latest run (fire-trigger): UpdateItem of `lastRun`, only if the item exists and holds no later run
 * Binding: create and delete are one TransactWriteItems with the trigger's
 * and the plan's binding items (./bindings.ts), each next to a ConditionCheck
 * that the trigger and plan exist (create only), so a trigger or plan in use
 * can never be deleted and no operation outlives them. One index entry and
 * unindexed bindings keep each write at 4 items of 1 KB, 8 WCU in a
 * transaction (issue #15, docs/decisions.md §17).
 *
 * schemaVersion 1 (written before): entries on GSI1 PK=OPERATIONS#PROJECT#<p>,
 * GSI2 and GSI3 PK=OPERATIONS#TRIGGER#<trigger>, bound through the trigger's
 * `operationCount` and the plan's `scheduledOperationIds`. Such an operation
 * is deleted and fired the old way; scripts/migrate-operation-index.js moves
 * it to the new keys and bindings (lists show it only after that).
 */
const OPERATION_ENTITY = 'scheduledOperation';
const SCHEMA_VERSION = 2;
const ALL_PK = 'OPERATIONS';
/** Most operations a list in an order no index holds reads and sorts. */
const SORT_CAP = 1000;

/** The one index entry of an operation. */
export const operationIndexKeys = (op: Pick<ScheduledOperation, 'projectId' | 'createdAt' | 'id'>) =>
  listing.indexKeys(op.projectId, { time: op.createdAt, id: op.id });
const legacyByTriggerPk = (triggerId: string) => `OPERATIONS#TRIGGER#${triggerId}`;

type Item = Record<string, unknown>;

/** An operation's stored item (npm run bench seeds large fleets with it). */
export const toOperationItem = (op: ScheduledOperation): Item => ({
  ...operationKey(op.id),
  ...operationIndexKeys(op),
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

const notFound = (id: string) => `Scheduled Operation ${id} could not be found.`;

/** Every operation on one partition, a project's as one range of it, by created_at (docs/decisions.md §17). */
// Pure: a bundle that imports this module only for a factory it never calls drops the listing too.
const listing = /* @__PURE__ */ projectTimeList({
  key: operationKey,
  map: fromItem,
  position: (op: ScheduledOperation) => ({ time: op.createdAt, id: op.id }),
  project: (projectId) => ({ index: 'GSI1', pk: ALL_PK, prefix: projectDigest(projectId) }),
  all: {
    sorted: { index: 'GSI1', pk: ALL_PK },
    cap: SORT_CAP,
    tooMany: `More than ${SORT_CAP} scheduled operations to sort across projects; list one project's operations instead.`,
  },
});

/** Which transaction entry failed its condition, from CancellationReasons. */
const failedIndex = (error: TransactionCanceledException): number => (error.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');

export const dynamoScheduledOperationStore = (doc: DynamoDBDocumentClient, table: string): ScheduledOperationStore => {
  /** The old transaction of an operation of schemaVersion 1: the trigger's count -1, the plan's usage set loses it. */
  const deleteLegacy = (op: ScheduledOperation) =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table, Key: operationKey(op.id), ConditionExpression: 'attribute_exists(PK)' } },
          legacyTriggerCountRelease(table, op.triggerId),
          planUsageUpdate(table, op.projectId, op.operationDefinition.plan_id, op.id, 'DELETE'),
        ],
      }),
    );

  const deleteLegacyOrNotFound = async (op: ScheduledOperation) => {
    try {
      await retryOnConflict(() => deleteLegacy(op));
    } catch (error) {
      if (error instanceof TransactionCanceledException && failedIndex(error) === 0) throw new NotFoundError(notFound(op.id));
      throw error;
    }
  };

  const store: ScheduledOperationStore = {
    async create(op, expectation, triggerScheduledFrom) {
      try {
        await retryOnConflict(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: table, Item: toOperationItem(op), ConditionExpression: 'attribute_not_exists(PK)' } },
                // The trigger must still exist in this project: a concurrent delete either wins (we fail) or meets a binding in use.
                triggerLiveCheck(table, op.projectId, op.triggerId, triggerScheduledFrom),
                bindingUpdate(table, 'TRIGGER', op.triggerId, op.id, 'ADD'),
                planLiveCheck(table, op.projectId, op.operationDefinition.plan_id),
                bindingUpdate(table, 'PLAN', op.operationDefinition.plan_id, op.id, 'ADD'),
                // What it leads the plan to expect (docs/decisions.md §20): one small unindexed item.
                ...(expectation ? [expectationSet(table, op.operationDefinition.plan_id, expectation)] : []),
              ],
            }),
          ),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const at = failedIndex(error);
          if (at === 1) {
            // Still there in this project: its properties changed since they were read, so the expectation is stale.
            const found = error.CancellationReasons?.[1]?.Item;
            if (found && found.projectId?.S === op.projectId)
              throw new ConflictError(`Trigger ${op.triggerId} was changed by another request at the same time; retry.`);
            throw new NotFoundError(`Trigger ${op.triggerId} could not be found.`);
          }
          if (at === 3) throw new NotFoundError(`Plan ${op.operationDefinition.plan_id} could not be found.`);
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
                // Deleted once: a concurrent delete of the same operation must not release twice. Written the old way: see below.
                {
                  Delete: {
                    TableName: table,
                    Key: operationKey(op.id),
                    ConditionExpression: 'attribute_exists(PK) AND schemaVersion >= :v',
                    ExpressionAttributeValues: { ':v': SCHEMA_VERSION },
                    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                  },
                },
                bindingUpdate(table, 'TRIGGER', op.triggerId, op.id, 'DELETE'),
                bindingUpdate(table, 'PLAN', op.operationDefinition.plan_id, op.id, 'DELETE'),
                expectationRemove(table, op.operationDefinition.plan_id, op.id),
              ],
            }),
          ),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException && failedIndex(error) === 0) {
          // An operation of schemaVersion 1 is bound through the trigger's count and the plan's set.
          if (error.CancellationReasons?.[0]?.Item) return deleteLegacyOrNotFound(op);
          throw new NotFoundError(notFound(op.id));
        }
        throw error;
      }
    },
    async list(q: OperationListQuery) {
      // By created_at: a project's range from the marker, or (all_tenants) every operation sorted here.
      const read = async (after: ScheduledOperation | undefined, limit: number) =>
        (await listing.page(doc, table, { projectId: q.projectId, ascending: q.ascending, after, limit, keep: q.keep })).items;
      const sorted = await nameOrIdPage(q, ({ limit }) => read(undefined, limit), notFound);
      return sorted ?? read(await markerItem(q.marker, q.projectId, store.get, notFound), q.limit);
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
      const [binding, legacy] = await Promise.all([
        doc.send(new GetCommand({ TableName: table, Key: bindingKey('TRIGGER', triggerId), ConsistentRead: true })),
        // Operations of schemaVersion 1 not yet migrated are on GSI3 (an empty Query once none are left).
        queryItems({ doc, table, index: 'GSI3', pk: legacyByTriggerPk(triggerId), ascending: true, limit: Infinity, map: fromItem }),
      ]);
      const ids = [...((binding.Item?.operationIds as Set<string> | undefined) ?? [])].sort();
      const bound = await batchGetItems(doc, table, ids.map(operationKey), fromItem);
      return [...bound, ...legacy.items.filter((op) => !ids.includes(op.id))];
    },
  };
  return store;
};
