import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../kernel/errors';
import type { OperationLog, OperationLogChanges, OperationLogListQuery, OperationLogStore, OperationLogWindow } from './model';
import { markerItem, projectTimeList, readPlace, type TimePlace } from '../../dynamo/time-list';
import { setChanges } from '../../dynamo/set-changes';

/**
 * Operation-log items (Karbor's `operation_logs` table; never deleted via the API).
 * Access patterns:
 * - by id (show, markers, status updates): GetItem PK=OPLOG#<id> SK=OPLOG
 * - a project's logs by started_at: Query GSI1 PK=OPLOGS#PROJECT#<p>, SK=<startedAt>#<id>
 * - every log by started_at (admin all_tenants): Query GSI2 PK=OPLOGS, SK=<startedAt>#<id>
 * - a window of a project's logs, or every project's (reports): the same Queries with
 *   SK BETWEEN <from> AND <to>~, at most `cap` + 1 items read
 *
 * Other features write logs with `operationLogs().put(log)` /
 * `.update(id, {status, endedAt, ...})` (./deps.ts), or inside their own
 * transaction with the entries of ./transact.ts.
 */
const OPERATION_LOG_ENTITY = 'operationLog';
const SCHEMA_VERSION = 1;

export const operationLogKey = (id: string) => ({ PK: `OPLOG#${id}`, SK: 'OPLOG' });

type Item = Record<string, unknown>;

/** The stored log (./transact.ts puts it inside other features' transactions). */
export const operationLogItem = (log: OperationLog): Item => ({
  ...operationLogKey(log.id),
  ...listing.indexKeys(log.projectId, { time: log.startedAt, id: log.id }),
  entity: OPERATION_LOG_ENTITY,
  schemaVersion: SCHEMA_VERSION,
  id: log.id,
  projectId: log.projectId,
  operationType: log.operationType,
  checkpointId: log.checkpointId,
  planId: log.planId,
  providerId: log.providerId,
  restoreId: log.restoreId,
  scheduledOperationId: log.scheduledOperationId,
  status: log.status,
  startedAt: log.startedAt,
  endedAt: log.endedAt,
  errorInfo: log.errorInfo,
  extraInfo: log.extraInfo,
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

/** A project's logs and every project's, by started_at (INDEX_MAP: GSI1, GSI2). */
// Pure: a bundle that imports this module only for a factory it never calls drops the listing too.
const listing = /* @__PURE__ */ projectTimeList({
  key: operationLogKey,
  map: fromItem,
  position: (log: OperationLog) => ({ time: log.startedAt, id: log.id }),
  project: (projectId) => ({ index: 'GSI1', pk: `OPLOGS#PROJECT#${projectId}` }),
  all: { index: 'GSI2', pk: 'OPLOGS' },
});
const notFound = (id: string) => `Operation log ${id} could not be found.`;

export const operationLogStore = (doc: DynamoDBDocumentClient, table: string): OperationLogStore => {
  const get = async (id: string) => {
    const res = await doc.send(new GetCommand({ TableName: table, Key: operationLogKey(id), ConsistentRead: true }));
    return res.Item ? fromItem(res.Item) : undefined;
  };
  return {
    async put(log) {
      // Never overwrites a log (as operationLogPut in ./transact.ts).
      await doc.send(new PutCommand({ TableName: table, Item: operationLogItem(log), ConditionExpression: 'attribute_not_exists(PK)' }));
    },
    async update(id, changes: OperationLogChanges) {
      try {
        const res = await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: operationLogKey(id),
            ...setChanges(changes),
            // Never create a stray log from an update.
            ConditionExpression: 'attribute_exists(PK)',
            ReturnValues: 'ALL_NEW',
          }),
        );
        return fromItem(res.Attributes!);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new NotFoundError(notFound(id));
        throw error;
      }
    },
    get,
    async list(q: OperationLogListQuery) {
      const after = await markerItem(q.marker, q.projectId, get, notFound);
      // The offset is applied after the marker.
      const page = await listing.page(doc, table, { projectId: q.projectId, ascending: q.ascending, after, limit: q.limit, offset: q.offset, keep: q.keep });
      return page.items;
    },
  };
};

/**
 * A window of logs by started_at (reports): one Query of the project's place
 * (GSI1) or of every project's (GSI2) between the window's bounds, oldest
 * first, reading at most `cap` + 1 items.
 */
export const operationLogWindow = (doc: DynamoDBDocumentClient, table: string): OperationLogWindow => ({
  async between({ projectId, from, to, cap }) {
    const place = projectId === undefined ? (listing.layout.all as TimePlace) : listing.layout.project(projectId);
    // Logs keep Karbor's time text (`...T00:00:00.000000`) or ISO 8601 (`...Z`): a bound without its `Z` is a prefix of both.
    const bound = (t: string) => t.replace(/Z$/, '');
    const page = await readPlace(doc, table, listing.layout, place, { ascending: true, limit: Infinity, budget: cap + 1, from: bound(from), to: bound(to) });
    return page.stoppedAt !== undefined || page.items.length > cap ? undefined : page.items;
  },
});
