/**
 * Binding items: which scheduled operations use a trigger or a plan.
 * PK=TRIGGER#<id> or PLAN#<id>, SK=OPERATIONS, `operationIds` a string set.
 * No index holds them, so binding or releasing an operation rewrites one
 * small item instead of the trigger's or plan's index entries (issue #15,
 * docs/decisions.md §17). The trigger and plan delete drop the item in
 * their write, only while the set is absent (DynamoDB removes an empty set):
 * a trigger or plan in use is never deleted.
 *
 * Written before this: a trigger's `operationCount` and a plan's
 * `scheduledOperationIds` on their own items (scheduled operations of
 * schemaVersion 1); their deletes still check those too, and
 * scripts/migrate-operation-index.js moves them here.
 */
export type BindingOwner = 'TRIGGER' | 'PLAN';

const BINDING_ENTITY = 'operationBinding';

export const bindingKey = (owner: BindingOwner, id: string) => ({ PK: `${owner}#${id}`, SK: 'OPERATIONS' });

/** A whole binding item, as the creates leave it (for seeding many at once: the bench). */
export const bindingItem = (owner: BindingOwner, id: string, operationIds: readonly string[]) => ({
  ...bindingKey(owner, id),
  entity: BINDING_ENTITY,
  schemaVersion: 1,
  operationIds: new Set(operationIds),
});

/** A scheduled operation's item key. */
export const operationKey = (id: string) => ({ PK: `OPERATION#${id}`, SK: 'OPERATION' });

/**
 * The transaction entry that requires a binding to hold exactly `ids` (a
 * trigger update that rewrites its operations' expectations, docs/decisions.md
 * §20): an operation bound or released meanwhile cancels it (it is retried).
 */
export const bindingUnchanged = (tableName: string, owner: BindingOwner, id: string, ids: readonly string[]) => ({
  ConditionCheck: {
    TableName: tableName,
    Key: bindingKey(owner, id),
    ...(ids.length > 0
      ? { ConditionExpression: 'operationIds = :ids', ExpressionAttributeValues: { ':ids': new Set(ids) } }
      : { ConditionExpression: 'attribute_not_exists(operationIds)' }),
  },
});

/** The transaction entry that adds (`ADD`) or removes (`DELETE`) an operation from a binding. */
export const bindingUpdate = (tableName: string, owner: BindingOwner, id: string, operationId: string, action: 'ADD' | 'DELETE') => ({
  Update: {
    TableName: tableName,
    Key: bindingKey(owner, id),
    UpdateExpression: `${action} operationIds :op SET entity = :entity, schemaVersion = :v`,
    ExpressionAttributeValues: { ':op': new Set([operationId]), ':entity': BINDING_ENTITY, ':v': 1 },
  },
});

/** The transaction entry of a trigger's or plan's delete: its binding goes, only if no operation is bound (CancellationReasons' Item names them). */
export const bindingRelease = (tableName: string, owner: BindingOwner, id: string) => ({
  Delete: {
    TableName: tableName,
    Key: bindingKey(owner, id),
    ConditionExpression: 'attribute_not_exists(operationIds)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

/** The operation ids a failed `bindingRelease` (or legacy set) held, from a cancellation reason's Item. */
export const boundIds = (item: Record<string, { SS?: string[] }> | undefined, attribute = 'operationIds'): string[] =>
  [...(item?.[attribute]?.SS ?? [])].sort();
