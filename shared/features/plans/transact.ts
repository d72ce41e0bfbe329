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
