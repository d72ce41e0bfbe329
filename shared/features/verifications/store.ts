import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Verification, VerificationQuery, VerificationRepository } from './model';
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
import { verifiedCheckpointSet } from '../plans/transact';
import { projectTimeList, recordFilter } from '../../dynamo/time-list';

/**
 * Verification items. Access patterns:
 * - by id (show, marker), with its job item:     Query PK=VERIFICATION#<id> SK begins_with VERIFICATION (docs/decisions.md §18)
 * - a project's verifications by creation time:  Query GSI1 PK=VERIFICATION_PROJECT#<project> SK=<ISO time>#<id>
 * - every project's (admin all_tenants):          Query GSI2 PK=VERIFICATIONS SK=<ISO time>#<id>
 * - every running job (the sweep):                Query GSI4 PK=JOBS_ACTIVE#<shard>, only while `in_progress`
 *                                                 (shared/features/jobs/transact.ts)
 */
/** The status a verification's job runs in: only then is it on the running-jobs index and has a job item. */
const ACTIVE: readonly string[] = ['in_progress'];
const verificationKey = (id: string) => ({ PK: `VERIFICATION#${id}`, SK: 'VERIFICATION' });
const FILTER_ATTRS: Record<string, string> = { status: 'status', id: 'id', project_id: 'projectId', provider_id: 'providerId', checkpoint_id: 'checkpointId' };

/** A verification's stored attributes (its keys and index entries aside), one line per field. */
const verificationAttributes = (v: Verification) => ({
  id: v.id,
  projectId: v.projectId,
  providerId: v.providerId,
  checkpointId: v.checkpointId,
  parameters: v.parameters,
  status: v.status,
  createdAt: v.createdAt,
  errorReason: v.errorReason,
  drill: v.drill,
  ...jobStateAttributes(v),
});

const fromItem = (item: Record<string, unknown>): Verification => ({
  id: item.id as string,
  projectId: item.projectId as string,
  providerId: item.providerId as string,
  checkpointId: item.checkpointId as string,
  parameters: item.parameters as Verification['parameters'],
  status: item.status as Verification['status'],
  createdAt: item.createdAt as string,
  ...(item.errorReason === undefined ? {} : { errorReason: item.errorReason as string }),
  ...(item.drill === undefined ? {} : { drill: item.drill as NonNullable<Verification['drill']> }),
  ...jobStateFromItem(item),
  // Verifications written before they ran as jobs kept no job state.
  resourcesStatus: (item.resourcesStatus as Record<string, string> | undefined) ?? {},
  resourcesReason: (item.resourcesReason as Record<string, string> | undefined) ?? {},
});

/** A project's verifications and every project's, by created_at (INDEX_MAP: GSI1, GSI2). */
// Pure: a bundle that imports this module only for a factory it never calls drops the listing too.
const listing = /* @__PURE__ */ projectTimeList({
  key: verificationKey,
  map: fromItem,
  position: (x: Verification) => ({ time: x.createdAt, id: x.id }),
  project: (projectId) => ({ index: 'GSI1', pk: `VERIFICATION_PROJECT#${projectId}` }),
  all: { index: 'GSI2', pk: 'VERIFICATIONS' },
});

export const dynamoVerificationStore = (doc: DynamoDBDocumentClient, table: string): VerificationRepository => ({
  async create(v, log) {
    const put = {
      TableName: table,
      Item: {
        ...verificationKey(v.id),
        entity: 'verification',
        schemaVersion: 1,
        ...verificationAttributes(v),
        ...listing.indexKeys(v.projectId, { time: v.createdAt, id: v.id }),
        ...(ACTIVE.includes(v.status) ? activeJobKeys('verification', v.id, v.createdAt) : {}),
      },
      // A fresh id never overwrites an existing verification.
      ConditionExpression: 'attribute_not_exists(PK)',
    };
    if (!log) await doc.send(new PutCommand(put));
    // The verification and its operation log exist together or not at all.
    else await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, operationLogPut(table, log)] }));
  },
  async get(id) {
    // With its job item: a running verification's per-resource progress is there (docs/decisions.md §18).
    const { entity, job } = await readWithJob(doc, table, verificationKey(id));
    return entity ? fromItem(withJobItem(entity, job)) : undefined;
  },
  list: async (q: VerificationQuery) =>
    withLiveJobs(
      doc,
      table,
      verificationKey,
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
  fail: (id, reason, log) => failUnstartedJob(doc, table, verificationKey(id), { name: 'Verification', id }, reason, log),
  // Each finish counts in the day's counters (§23); a drill that succeeds also tells its plan, in the same final write (§24).
  jobs: dynamoJobStore(doc, table, verificationKey, fromItem, (to, entity, at) => {
    const count = { kind: 'verify', outcome: to === 'success' ? 'success' : 'error' } as const;
    const drill = entity.drill as Verification['drill'];
    if (to !== 'success' || !drill || !at) return { count };
    return { also: [verifiedCheckpointSet(table, drill.planId, entity.checkpointId as string, at)], count };
  }),
});
