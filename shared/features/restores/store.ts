import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Restore, RestoreQuery, RestoreRepository } from './model';
import {
  activeJobKeys,
  dynamoJobStore,
  failUnstartedJob,
  jobStateAttributes,
  jobStateFromItem,
  readWithJob,
  withJobItem,
  withLiveJobs,
} from '../jobs/transact';
import { operationLogPut } from '../operation-logs/transact';
import { projectTimeList, recordFilter } from '../../dynamo/time-list';

/**
 * Restore items. Access patterns:
 * - by id (show, worker):                  GetItem PK=RESTORE#<id> SK=RESTORE
 * - a project's restores by creation time: Query GSI1 PK=RESTORE_PROJECT#<project> SK=<ISO time>#<id>
 * - every project's (admin all_tenants):    Query GSI2 PK=RESTORES SK=<ISO time>#<id>
 * - every running job (the sweep):         Query GSI4 PK=JOBS_ACTIVE#<shard>, only while `in_progress`
 *                                          (shared/features/jobs/transact.ts)
 * - its running job's state (lease, progress): the job item PK=RESTORE#<id> SK=RESTORE#JOB, no index
 *                                          (docs/decisions.md §18); read with the restore by one Query on PK
 * Filters (status, admin columns) are FilterExpressions on those queries
 * (shared/dynamo/time-list.ts).
 */
const restoreKey = (id: string) => ({ PK: `RESTORE#${id}`, SK: 'RESTORE' });
const SCHEMA_VERSION = 1;
/** The status a restore's job runs in. */
const ACTIVE: readonly string[] = ['in_progress'];

/** Query filters name these attributes. */
const FILTER_ATTRS: Record<string, string> = {
  status: 'status',
  id: 'id',
  project_id: 'projectId',
  provider_id: 'providerId',
  checkpoint_id: 'checkpointId',
  restore_target: 'restoreTarget',
};

/** A restore's stored attributes (its keys and index entries aside): one line per field, so a renamed field is a visible change of stored data. */
const restoreAttributes = (r: Restore) => ({
  id: r.id,
  projectId: r.projectId,
  providerId: r.providerId,
  checkpointId: r.checkpointId,
  restoreTarget: r.restoreTarget,
  parameters: r.parameters,
  status: r.status,
  createdAt: r.createdAt,
  errorReason: r.errorReason,
  ...jobStateAttributes(r),
});

const fromRestoreItem = (item: Record<string, unknown>): Restore => ({
  id: item.id as string,
  projectId: item.projectId as string,
  providerId: item.providerId as string,
  checkpointId: item.checkpointId as string,
  restoreTarget: item.restoreTarget as string | null,
  parameters: item.parameters as Restore['parameters'],
  status: item.status as Restore['status'],
  createdAt: item.createdAt as string,
  ...(item.errorReason === undefined ? {} : { errorReason: item.errorReason as string }),
  ...jobStateFromItem(item),
});

/** A project's restores and every project's, by created_at (INDEX_MAP: GSI1, GSI2). */
// Pure: a bundle that imports this module only for a factory it never calls drops the listing too.
const listing = /* @__PURE__ */ projectTimeList({
  key: restoreKey,
  map: fromRestoreItem,
  position: (x: Restore) => ({ time: x.createdAt, id: x.id }),
  project: (projectId) => ({ index: 'GSI1', pk: `RESTORE_PROJECT#${projectId}` }),
  all: { index: 'GSI2', pk: 'RESTORES' },
});

export const dynamoRestoreStore = (doc: DynamoDBDocumentClient, table: string): RestoreRepository => ({
  async create(r, log) {
    const put = {
      TableName: table,
      Item: {
        ...restoreKey(r.id),
        entity: 'restore',
        schemaVersion: SCHEMA_VERSION,
        ...restoreAttributes(r),
        ...listing.indexKeys(r.projectId, { time: r.createdAt, id: r.id }),
        ...(r.status === 'in_progress' ? activeJobKeys('restore', r.id, r.createdAt) : {}),
      },
      // A fresh id never overwrites an existing restore.
      ConditionExpression: 'attribute_not_exists(PK)',
    };
    if (!log) await doc.send(new PutCommand(put));
    // The restore and its operation log exist together or not at all.
    else await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, operationLogPut(table, log)] }));
  },
  async get(id) {
    // With its job item: a running restore's progress is there.
    const { entity, job } = await readWithJob(doc, table, restoreKey(id));
    return entity ? fromRestoreItem(withJobItem(entity, job)) : undefined;
  },
  list: async (q: RestoreQuery) =>
    withLiveJobs(
      doc,
      table,
      restoreKey,
      ACTIVE,
      (
        await listing.page(doc, table, {
          projectId: q.projectId,
          ascending: q.dir === 'asc',
          after: q.after,
          limit: q.limit,
          filter: recordFilter(q.filters, FILTER_ATTRS),
        })
      ).items,
    ),
  fail: (id, reason, log) => failUnstartedJob(doc, table, restoreKey(id), { name: 'Restore', id }, reason, log),
  jobs: dynamoJobStore(doc, table, restoreKey, fromRestoreItem, (to) => ({ count: { kind: 'restore', outcome: to === 'success' ? 'success' : 'error' } })),
});
