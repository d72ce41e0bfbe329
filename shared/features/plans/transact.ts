import type { ScheduleExpectation } from './model';

/**
 * The plan entries other features' transactions include: a scheduled
 * operation's create requires a live plan, and one of schemaVersion 1 marks
 * or releases the plan it uses.
 */
export const planKey = (id: string) => ({ PK: `PLAN#${id}`, SK: 'PLAN' });

/**
 * The TransactWriteItems entry with which a scheduled operation of
 * schemaVersion 1 marked (`ADD`) or releases (`DELETE`, on delete) the plan it
 * uses; newer ones use the plan's binding item.
 * ADD requires the plan to exist, be live and belong to `projectId`;
 * a failed condition means "plan not found".
 */
export const planUsageUpdate = (tableName: string, projectId: string, planId: string, operationId: string, action: 'ADD' | 'DELETE') => ({
  Update: {
    TableName: tableName,
    Key: planKey(planId),
    UpdateExpression: `${action} scheduledOperationIds :op`,
    // ADD: only a live plan of this project may be used. DELETE: never create a stray item.
    ConditionExpression: action === 'ADD' ? 'attribute_exists(PK) AND deleted = :false AND project_id = :project' : 'attribute_exists(PK)',
    ExpressionAttributeValues: {
      ':op': new Set([operationId]),
      ...(action === 'ADD' ? { ':false': false, ':project': projectId } : {}),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

/** The TransactWriteItems entry that requires a live plan of `projectId` (a scheduled operation's create; failed: "plan not found"). */
export const planLiveCheck = (tableName: string, projectId: string, planId: string) => ({
  ConditionCheck: {
    TableName: tableName,
    Key: planKey(planId),
    ConditionExpression: 'attribute_exists(PK) AND deleted = :false AND project_id = :project',
    ExpressionAttributeValues: { ':false': false, ':project': projectId },
  },
});

/**
 * A plan's compliance item (docs/decisions.md §20): PK=PLAN#<id>, SK=COMPLIANCE,
 * beside the plan and on no index, so the writes that keep it (a scheduled
 * operation's create and delete, a protect that ends `available`, the
 * evaluator's verdict) cost one small unit each and never rewrite the plan or
 * its index entry. Attributes: `expect_<operation id>` (one
 * ScheduleExpectation per operation), `lastGoodAt` and
 * `lastGoodCheckpointId`, `evaluated` (`{late, at}`).
 */
export const complianceKey = (planId: string) => ({ PK: `PLAN#${planId}`, SK: 'COMPLIANCE' });
export const COMPLIANCE_ENTITY = 'planCompliance';
/** The attribute of one operation's expectation. */
export const EXPECTATION_PREFIX = 'expect_';

const complianceUpdate = (
  tableName: string,
  planId: string,
  change: { set?: string[]; remove?: string[] },
  names: Record<string, string>,
  values: Record<string, unknown>,
) => ({
  Update: {
    TableName: tableName,
    Key: complianceKey(planId),
    UpdateExpression: [
      `SET ${[...(change.set ?? []), 'entity = :entity', 'schemaVersion = :v'].join(', ')}`,
      ...(change.remove ? [`REMOVE ${change.remove.join(', ')}`] : []),
    ].join(' '),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: { ...values, ':entity': COMPLIANCE_ENTITY, ':v': 1 },
  },
});

/** The entry a scheduled operation's create includes: its expectation on the plan (no condition: the plan check is beside it). */
export const expectationSet = (
  tableName: string,
  planId: string,
  e: { operationId: string; kind?: 'protect' | 'verify'; triggerId: string; intervalSeconds: number; since: string; until: string | null },
) => complianceUpdate(tableName, planId, { set: ['#e = :e'] }, { '#e': `${EXPECTATION_PREFIX}${e.operationId}` }, { ':e': e });

/**
 * The entry of a trigger update (docs/decisions.md §20): the expectations of
 * the plan's operations on that trigger, as the trigger now leads them to
 * expect (`set`), or gone (`remove`: the trigger has ended). No condition:
 * the trigger's transaction checks its binding beside it.
 */
export const expectationsReplace = (tableName: string, planId: string, set: readonly ScheduleExpectation[], remove: readonly string[]) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  set.forEach((e, i) => {
    names[`#s${i}`] = `${EXPECTATION_PREFIX}${e.operationId}`;
    values[`:s${i}`] = e;
  });
  remove.forEach((id, i) => {
    names[`#r${i}`] = `${EXPECTATION_PREFIX}${id}`;
  });
  return complianceUpdate(
    tableName,
    planId,
    { set: set.map((_, i) => `#s${i} = :s${i}`), ...(remove.length > 0 ? { remove: remove.map((_, i) => `#r${i}`) } : {}) },
    names,
    values,
  );
};

/** The entry a scheduled operation's delete includes: its expectation goes (none stored, as for an operation made before §20: nothing happens). */
export const expectationRemove = (tableName: string, planId: string, operationId: string) =>
  complianceUpdate(tableName, planId, { remove: ['#e'] }, { '#e': `${EXPECTATION_PREFIX}${operationId}` }, {});

/**
 * The entry a protect's final write includes when it ends `available`: the
 * plan's newest good checkpoint. `at` is when it became available, so later
 * finishes write later times (no condition: in a transaction a failed one
 * would cancel the job's final write).
 */
export const goodCheckpointSet = (tableName: string, planId: string, checkpointId: string, at: string) =>
  complianceUpdate(tableName, planId, { set: ['lastGoodAt = :at', 'lastGoodCheckpointId = :id'] }, {}, { ':at': at, ':id': checkpointId });

/**
 * The entry a drill's final write includes when it ends `success`
 * (docs/decisions.md §24): the plan's newest verified checkpoint, judged
 * against its drill schedule. Unconditional, as goodCheckpointSet.
 */
export const verifiedCheckpointSet = (tableName: string, planId: string, checkpointId: string, at: string) =>
  complianceUpdate(tableName, planId, { set: ['lastVerifiedAt = :at', 'lastVerifiedCheckpointId = :id'] }, {}, { ':at': at, ':id': checkpointId });

/**
 * The write of a delete that took the plan's newest good checkpoint
 * (docs/decisions.md §20): the plan's last-good time moves back to `next`
 * (the newest good checkpoint left; its `created_at`, the only time its item
 * keeps, so the plan is judged a little early rather than late), or goes
 * (none left: `unprotected`). Only while the item still names the deleted
 * checkpoint: a protect that ended meanwhile stays.
 */
export const goodCheckpointRetract = (tableName: string, planId: string, deletedId: string, next: { id: string; at: string } | undefined) => {
  const entry = next
    ? complianceUpdate(tableName, planId, { set: ['lastGoodAt = :at', 'lastGoodCheckpointId = :id'] }, {}, { ':at': next.at, ':id': next.id })
    : complianceUpdate(tableName, planId, { remove: ['lastGoodAt', 'lastGoodCheckpointId'] }, {}, {});
  return {
    Update: {
      ...entry.Update,
      ConditionExpression: 'lastGoodCheckpointId = :deleted',
      ExpressionAttributeValues: { ...entry.Update.ExpressionAttributeValues, ':deleted': deletedId },
    },
  };
};
