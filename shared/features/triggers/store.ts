import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, DependencyError, NotFoundError } from '../../kernel/errors';
import type { BoundOperation, ExpectationRefresh, Trigger, TriggerListQuery, TriggerStore } from './model';
import { markerItem, nameOrIdPage, projectTimeList } from '../../dynamo/time-list';
import { retryOnConflict } from '../../dynamo/retry';
import { setChanges } from '../../dynamo/set-changes';
import { bindingKey, bindingRelease, bindingUnchanged, operationKey } from '../scheduled-operations/transact';
import { batchGetItems } from '../../dynamo/batch-get';
import { expectationsReplace } from '../plans/transact';
import type { ScheduleExpectation } from '../plans/model';
import { triggerKey } from './transact';

/**
 * Trigger items. Access patterns:
 * - get by id (show/update/delete, fire-trigger, scheduled-operation create):
 *   GetItem PK=TRIGGER#<id> SK=TRIGGER (by id, so an admin reaches any project's trigger)
 * - list a project's triggers by created_at: Query GSI1 PK=TRIGGERS#PROJECT#<p>, SK=<createdAt>#<id>
 * - list every trigger by created_at (admin all_tenants; the local scheduler's
 *   rebuild at start): Query GSI2 PK=TRIGGERS, SK=<createdAt>#<id>
 * The in-use rule: the trigger's binding item lists the scheduled operations
 * bound to it (shared/features/scheduled-operations/transact.ts); delete is
 * one transaction with the binding's removal, conditional on it being empty
 * and on `operationCount` (the count of operations of schemaVersion 1) being 0.
 */
const TRIGGER_ENTITY = 'trigger';
const SCHEMA_VERSION = 1;

type Item = Record<string, unknown>;

/** A trigger's stored item (npm run bench seeds large fleets with it). */
export const toTriggerItem = (t: Trigger): Item => ({
  ...triggerKey(t.id),
  ...listing.indexKeys(t.projectId, { time: t.createdAt, id: t.id }),
  entity: TRIGGER_ENTITY,
  schemaVersion: SCHEMA_VERSION,
  id: t.id,
  projectId: t.projectId,
  name: t.name,
  type: t.type,
  properties: t.properties,
  createdAt: t.createdAt,
  scheduledFrom: t.scheduledFrom,
  operationCount: t.operationCount,
});

const fromTriggerItem = (i: Item): Trigger => ({
  id: i.id as string,
  projectId: i.projectId as string,
  name: i.name as string,
  type: i.type as string,
  properties: (i.properties ?? {}) as Record<string, string>,
  createdAt: i.createdAt as string,
  scheduledFrom: (i.scheduledFrom ?? i.createdAt) as string,
  operationCount: Number(i.operationCount ?? 0),
});

/** A project's triggers and every project's, by created_at (INDEX_MAP: GSI1, GSI2). */
// Pure: a bundle that imports this module only for a factory it never calls drops the listing too.
const listing = /* @__PURE__ */ projectTimeList({
  key: triggerKey,
  map: fromTriggerItem,
  position: (t: Trigger) => ({ time: t.createdAt, id: t.id }),
  project: (projectId) => ({ index: 'GSI1', pk: `TRIGGERS#PROJECT#${projectId}` }),
  all: { index: 'GSI2', pk: 'TRIGGERS' },
});
const notFound = (id: string) => `Trigger ${id} could not be found.`;

/** How many plans' compliance items ride in the trigger update's own transaction (100 entries, less the trigger and its binding check). */
export const REFRESH_IN_TRANSACTION = 98;
/** How often a trigger update that meets an operation bound or released meanwhile reads its binding again. */
const REFRESH_ATTEMPTS = 3;

/** The operations bound to a trigger now: its binding item (consistent) and the operations (one BatchGetItem per 100). */
const readBound = async (doc: DynamoDBDocumentClient, table: string, triggerId: string): Promise<{ ids: string[]; operations: BoundOperation[] }> => {
  const { Item } = await doc.send(new GetCommand({ TableName: table, Key: bindingKey('TRIGGER', triggerId), ConsistentRead: true }));
  const ids = [...((Item?.operationIds as Set<string> | undefined) ?? [])].sort();
  const operations = await batchGetItems(doc, table, ids.map(operationKey), (i) => ({
    id: String(i.id),
    operationType: String(i.operationType),
    planId: String((i.operationDefinition as Record<string, unknown> | undefined)?.plan_id),
  }));
  return { ids, operations };
};

/** Each plan's compliance entry: the expectations its operations get under the trigger as changed (or lose). */
const refreshEntries = (table: string, operations: readonly BoundOperation[], refresh: ExpectationRefresh) => {
  const byPlan = new Map<string, { set: ScheduleExpectation[]; remove: string[] }>();
  for (const op of operations) {
    const entry = byPlan.get(op.planId) ?? { set: [], remove: [] };
    const expectation = refresh(op);
    if (expectation) entry.set.push(expectation);
    else entry.remove.push(op.id);
    byPlan.set(op.planId, entry);
  }
  return [...byPlan].map(([planId, { set, remove }]) => expectationsReplace(table, planId, set, remove));
};

export const dynamoTriggerStore = (doc: DynamoDBDocumentClient, table: string): TriggerStore => {
  const get = async (id: string) => {
    const res = await doc.send(new GetCommand({ TableName: table, Key: triggerKey(id), ConsistentRead: true }));
    return res.Item ? fromTriggerItem(res.Item) : undefined;
  };
  /**
   * A property change with its plans' expectations (docs/decisions.md §20): one
   * transaction of the trigger's update, a check that its binding still holds
   * the operations read, and the first REFRESH_IN_TRANSACTION plans' entries;
   * the rest follow in transactions conditional on the trigger still having
   * these properties (a later update rewrites them all itself). Undefined:
   * no operation is bound (the plain update does).
   */
  const updateWithPlans = async (
    id: string,
    update: ReturnType<typeof setChanges>,
    condition: string,
    scheduledFrom: string | undefined,
    refresh: ExpectationRefresh,
  ): Promise<Trigger | undefined> => {
    for (let attempt = 1; ; attempt += 1) {
      const { ids, operations } = await readBound(doc, table, id);
      if (ids.length === 0) return undefined;
      const entries = refreshEntries(table, operations, refresh);
      const first = entries.slice(0, REFRESH_IN_TRANSACTION);
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: { TableName: table, Key: triggerKey(id), ...update, ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
              bindingUnchanged(table, 'TRIGGER', id, ids),
              ...first,
            ] as never,
          }),
        );
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [trigger, binding] = error.CancellationReasons ?? [];
        if (trigger?.Code === 'ConditionalCheckFailed') {
          if (trigger.Item) throw new ConflictError(`Trigger ${id} was changed by another request at the same time; retry.`);
          throw new NotFoundError(`Trigger ${id} could not be found.`);
        }
        // An operation was bound or released meanwhile: read the binding again.
        if (binding?.Code === 'ConditionalCheckFailed' && attempt < REFRESH_ATTEMPTS) continue;
        throw error;
      }
      for (let at = REFRESH_IN_TRANSACTION; at < entries.length; at += REFRESH_IN_TRANSACTION) {
        const still = {
          ConditionCheck: {
            TableName: table,
            Key: triggerKey(id),
            ConditionExpression: 'scheduledFrom = :from',
            ExpressionAttributeValues: { ':from': scheduledFrom },
          },
        };
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [still, bindingUnchanged(table, 'TRIGGER', id, ids), ...entries.slice(at, at + REFRESH_IN_TRANSACTION)] as never,
            }),
          );
        } catch (error) {
          // A later update (or a bind) came first: it wrote the expectations it leads to.
          if (!(error instanceof TransactionCanceledException)) throw error;
        }
      }
      const stored = await get(id);
      if (!stored) throw new NotFoundError(`Trigger ${id} could not be found.`);
      return stored;
    }
  };
  const store: TriggerStore = {
    get,
    async create(trigger) {
      // A fresh uuid never collides; the condition keeps a retry from overwriting.
      await doc.send(new PutCommand({ TableName: table, Item: toTriggerItem(trigger), ConditionExpression: 'attribute_not_exists(PK)' }));
    },
    async update(id, changes, expectedScheduledFrom, refresh) {
      const update = setChanges(changes);
      // Only an existing trigger is updated: an update never resurrects a deleted one.
      let condition = 'attribute_exists(PK)';
      if (expectedScheduledFrom !== undefined) {
        // The properties must still be the ones the caller read (items written before scheduledFrom existed fall back to createdAt).
        condition += ' AND (scheduledFrom = :expectedScheduledFrom OR (attribute_not_exists(scheduledFrom) AND createdAt = :expectedScheduledFrom))';
        update.ExpressionAttributeValues = { ...update.ExpressionAttributeValues, ':expectedScheduledFrom': expectedScheduledFrom };
      }
      if (refresh) {
        const withPlans = await updateWithPlans(id, update, condition, changes.scheduledFrom, refresh);
        if (withPlans) return withPlans;
      }
      try {
        const res = await retryOnConflict(() =>
          doc.send(
            new UpdateCommand({
              TableName: table,
              Key: triggerKey(id),
              ...update,
              ConditionExpression: condition,
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return fromTriggerItem(res.Attributes!);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          if (error.Item) throw new ConflictError(`Trigger ${id} was changed by another request at the same time; retry.`);
          throw new NotFoundError(`Trigger ${id} could not be found.`);
        }
        throw error;
      }
    },
    async delete(id) {
      try {
        await retryOnConflict(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName: table,
                    Key: triggerKey(id),
                    // Operations bound before the binding items (schemaVersion 1) are counted here.
                    ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(operationCount) OR operationCount = :zero)',
                    ExpressionAttributeValues: { ':zero': 0 },
                    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                  },
                },
                // The in-use rule: no scheduled operation may still be bound (a bind meets this item in its own transaction).
                bindingRelease(table, 'TRIGGER', id),
              ],
            }),
          ),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const [trigger, binding] = error.CancellationReasons ?? [];
          if (binding?.Code === 'ConditionalCheckFailed' || (trigger?.Code === 'ConditionalCheckFailed' && trigger.Item)) {
            throw new DependencyError('Trigger is being used by one or more operations');
          }
          if (trigger?.Code === 'ConditionalCheckFailed') throw new NotFoundError(`Trigger ${id} could not be found.`);
        }
        throw error;
      }
    },
    async list(q: TriggerListQuery) {
      const read = async (after: Trigger | undefined, limit: number) =>
        (await listing.page(doc, table, { projectId: q.projectId, ascending: q.ascending, after, limit, keep: q.keep })).items;
      const sorted = await nameOrIdPage(q, ({ limit }) => read(undefined, limit), notFound);
      return sorted ?? read(await markerItem(q.marker, q.projectId, get, notFound), q.limit);
    },
  };
  return store;
};
