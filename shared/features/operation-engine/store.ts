import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Run, RunStore } from './model';
import { operationLogPut } from '../operation-logs/transact';
import type { Clock } from '../../kernel/ports';

/**
 * Scheduled-operation run guards: one item per (operation, occurrence).
 * Access pattern: PutItem PK=RUN#<operation id>#<occurrence ISO> SK=RUN, only
 * if absent, in the same transaction as the run's operation log, so a repeated
 * EventBridge delivery finds it and runs nothing. Expires after 30 days (TTL).
 */
const RUN_ENTITY = 'scheduledOperationRun';
const SCHEMA_VERSION = 1;
const RETENTION_SECONDS = 30 * 86400;

const runKey = (operationId: string, occurrence: string) => ({ PK: `RUN#${operationId}#${occurrence}`, SK: 'RUN' });

export const dynamoRunStore = (doc: DynamoDBDocumentClient, table: string, clock: Clock): RunStore => ({
  async begin(run: Run, log) {
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: {
                  ...runKey(run.operationId, run.occurrence),
                  entity: RUN_ENTITY,
                  schemaVersion: SCHEMA_VERSION,
                  operationId: run.operationId,
                  occurrence: run.occurrence,
                  logId: run.logId,
                  expiresAt: Math.floor(clock.now().getTime() / 1000) + RETENTION_SECONDS,
                },
                // At most once per (operation, occurrence): EventBridge delivers at least once.
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            operationLogPut(table, log),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },
});
