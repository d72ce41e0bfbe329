/**
 * The trigger entries other features' transactions include: a scheduled
 * operation's create requires its trigger, and one of schemaVersion 1
 * released the trigger's operation count when it was deleted or migrated.
 */
export const triggerKey = (id: string) => ({ PK: `TRIGGER#${id}`, SK: 'TRIGGER' });

/** The TransactWriteItems entry that requires `projectId`'s trigger to exist (failed: "trigger not found"). */
export const triggerLiveCheck = (table: string, projectId: string, triggerId: string) => ({
  ConditionCheck: {
    TableName: table,
    Key: triggerKey(triggerId),
    ConditionExpression: 'attribute_exists(PK) AND projectId = :project',
    ExpressionAttributeValues: { ':project': projectId },
  },
});

/** The TransactWriteItems entry with which an operation of schemaVersion 1 leaves its trigger's count. */
export const legacyTriggerCountRelease = (table: string, triggerId: string) => ({
  Update: {
    TableName: table,
    Key: triggerKey(triggerId),
    UpdateExpression: 'ADD operationCount :minus',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':minus': -1 },
  },
});
