import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../domain/errors';
import type { OperationLog, OperationLogChanges, OperationLogListQuery, OperationLogStore } from '../domain/operation-logs';
import { queryPage } from './paging';

/**
 * Operation-log items (Karbor's `operation_logs` table; never deleted via the API).
 * Access patterns:
 * - by id (show, markers, status updates): GetItem PK=OPLOG#<id> SK=OPLOG
 * - a project's logs by started_at: Query GSI1 PK=OPLOGS#PROJECT#<p>, SK=<startedAt>#<id>
 * - every log by started_at (admin all_tenants): Query GSI2 PK=OPLOGS, SK=<startedAt>#<id>
 *
 * Other features write logs with `operationLogStore(doc, table).put(log)` /
 * `.update(id, {status, endedAt, ...})`, or put one inside their own
 * transaction with `operationLogPut(table, log)`.
 */
export const OPERATION_LOG_ENTITY = 'operationLog';
const SCHEMA_VERSION = 1;

export const operationLogKey = (id: string) => ({ PK: `OPLOG#${id}`, SK: 'OPLOG' });
const projectListPk = (projectId: string) => `OPLOGS#PROJECT#${projectId}`;
const ALL_PK = 'OPLOGS';

type Item = Record<string, unknown>;

export const operationLogItem = (log: OperationLog): Item => ({
  ...operationLogKey(log.id),
  GSI1PK: projectListPk(log.projectId),
  GSI1SK: `${log.startedAt}#${log.id}`,
  GSI2PK: ALL_PK,
  GSI2SK: `${log.startedAt}#${log.id}`,
  entity: OPERATION_LOG_ENTITY,
  schemaVersion: SCHEMA_VERSION,
  ...log,
});

const fromItem = (i: Item): OperationLog => ({
  id: i.id as string,
  projectId: i.projectId as string,
  operationType: i.operationType as string,
  checkpointId: (i.checkpointId ?? null) as string | null,
  planId: (i.planId ?? null) as string | null,
  providerId: (i.providerId ?? null) as string | null,
  restoreId: (i.restoreId ?? null) as string | null,
  scheduledOperationId: (i.scheduledOperationId ?? null) as string | null,
  status: i.status as string,
  startedAt: i.startedAt as string,
  endedAt: (i.endedAt ?? null) as string | null,
  errorInfo: (i.errorInfo ?? null) as string | null,
  extraInfo: (i.extraInfo ?? null) as string | null,
});

/** The TransactWriteItems entry that creates a log (for writers that need it atomic with their own items). */
export const operationLogPut = (table: string, log: OperationLog) => ({
  Put: { TableName: table, Item: operationLogItem(log), ConditionExpression: 'attribute_not_exists(PK)' },
});

export const operationLogStore = (doc: DynamoDBDocumentClient, table: string): OperationLogStore => ({
  async put(log) {
    await doc.send(new PutCommand(operationLogPut(table, log).Put));
  },
  async update(id, changes: OperationLogChanges) {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    const names = Object.fromEntries(entries.map(([k]) => [`#${k}`, k]));
    const values = Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v]));
    try {
      const res = await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: operationLogKey(id),
          UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
          // Never create a stray log from an update.
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(res.Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError(`Operation log ${id} could not be found.`);
      throw error;
    }
  },
  async get(id) {
    const res = await doc.send(new GetCommand({ TableName: table, Key: operationLogKey(id), ConsistentRead: true }));
    return res.Item ? fromItem(res.Item) : undefined;
  },
  async list(q: OperationLogListQuery) {
    let after: Item | undefined;
    if (q.marker !== undefined) {
      const marker = await doc.send(new GetCommand({ TableName: table, Key: operationLogKey(q.marker) }));
      if (!marker.Item || (q.projectId !== undefined && marker.Item.projectId !== q.projectId)) {
        throw new NotFoundError(`Operation log ${q.marker} could not be found.`);
      }
      after = marker.Item;
    }
    const all = q.projectId === undefined;
    const items = await queryPage({
      doc,
      table,
      index: all ? 'GSI2' : 'GSI1',
      pk: all ? ['GSI2PK', ALL_PK] : ['GSI1PK', projectListPk(q.projectId!)],
      skName: all ? 'GSI2SK' : 'GSI1SK',
      ascending: q.ascending,
      after,
      limit: q.offset + q.limit,
      keep: q.keep,
      map: fromItem,
    });
    return items.slice(q.offset);
  },
});
