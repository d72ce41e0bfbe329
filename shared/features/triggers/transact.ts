/**
 * The trigger entries other features' transactions include: a scheduled
 * operation's create requires its trigger, and one of schemaVersion 1
 * released the trigger's operation count when it was deleted or migrated.
 */
export const triggerKey = (id: string) => ({ PK: `TRIGGER#${id}`, SK: 'TRIGGER' });

/** The TransactWriteItems entry that requires `projectId`'s trigger to exist (failed: "trigger not found"). */
export const triggerLiveCheck = (table: string, projectId: string, triggerId: string, scheduledFrom?: string) => ({
  ConditionCheck: {
    TableName: table,
    Key: triggerKey(triggerId),
    // With `scheduledFrom`: still the properties read (an expectation computed from older ones must not land after a trigger update's).
    ConditionExpression:
      scheduledFrom === undefined
        ? 'attribute_exists(PK) AND projectId = :project'
        : 'attribute_exists(PK) AND projectId = :project AND (scheduledFrom = :from OR attribute_not_exists(scheduledFrom))',
    ExpressionAttributeValues: { ':project': projectId, ...(scheduledFrom === undefined ? {} : { ':from': scheduledFrom }) },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
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
