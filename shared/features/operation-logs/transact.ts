import type { LogUpdate, OperationLog } from './model';
import { operationLogItem, operationLogKey } from './store';

/**
 * The operation-log entries other features' transactions include: a log
 * created with a checkpoint, a restore, a verification or a scheduled run,
 * updated with a job's final status, deleted with the checkpoint it started.
 */

/** The TransactWriteItems entry that creates a log (for writers that need it atomic with their own items). */
export const operationLogPut = (table: string, log: OperationLog) => ({
  Put: { TableName: table, Item: operationLogItem(log), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** The TransactWriteItems Update of an operation log (it must exist: never a stray partial log). */
export const operationLogUpdate = (table: string, log: LogUpdate) => {
  const entries = Object.entries(log.changes).filter(([, v]) => v !== undefined);
  return {
    TableName: table,
    Key: operationLogKey(log.id),
    ConditionExpression: 'attribute_exists(PK)',
    UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
  };
};

/** The TransactWriteItems entry that deletes a log (an untouched checkpoint's, removed with it). */
export const operationLogDelete = (table: string, id: string) => ({ Delete: { TableName: table, Key: operationLogKey(id) } });
