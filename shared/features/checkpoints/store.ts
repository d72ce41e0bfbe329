import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mergeByTime, placeKeys, readPlace, type TimePlace } from '../../dynamo/time-list';
import { type Checkpoint, COPY_FINISHED, type CheckpointQuery, type CheckpointRepository, type CheckpointStatus, type LockMode } from './model';
import { ConditionLostError, ConflictError, QuotaExceededError } from '../../kernel/errors';
import { quotaUsageUpdate } from '../quotas/transact';
import { isConflictOnly, retryOnConflict } from '../../dynamo/retry';
import { LeaseLostError } from '../jobs/model';
import {
  ACTIVE_JOB_ATTRS,
  activeJobKeys,
  dynamoJobStore,
  jobKey,
  jobStateAttributes,
  jobStateFromItem,
  readWithJob,
  withJobItem,
  withLiveJobs,
} from '../jobs/transact';
import { operationLogDelete, operationLogPut, operationLogUpdate } from '../operation-logs/transact';
import { complianceKey, goodCheckpointRetract, goodCheckpointSet } from '../plans/transact';
import type { JobCount, JobKindCounted } from '../overview/transact';

/**
 * Checkpoint items. Access patterns:
 * - by id (show/delete/reset, workers):      GetItem PK=CHECKPOINT#<id> SK=CHECKPOINT
 * - a project's checkpoints of a provider,
 *   by creation time (list):                 Query GSI1 PK=CKPT#<provider>#<project> SK between <date>.. (ISO time#id)
 * - a plan's checkpoints (list plan_id,
 *   retention, copy):                         Query GSI2 PK=CKPT_PLAN#<plan>#<project> SK between ...
 * - a provider's checkpoints of every
 *   project (admin all_tenants):              Query GSI3 PK=CKPT_PROVIDER#<provider> SK between ...
 * - every running job (the sweep):            Query GSI4 PK=JOBS_ACTIVE#<shard> (shared/features/jobs/transact.ts),
 *                                             set only while `protecting`/`deleting`/`wait_copying`/`copying`
 * - a source's copy to a destination (copy):  BatchGetItem PK=CHECKPOINT#<source> SK=COPY#<destination> (the guard)
 * - its running job's state (lease, progress, steps, the graph being built):
 *                                             the job item PK=CHECKPOINT#<id> SK=CHECKPOINT#JOB, no index
 *                                             (docs/decisions.md §18); read with the checkpoint by one Query on PK
 * The three index keys are removed when a checkpoint reaches `deleted`: it
 * stays readable by id but is no longer listed (Karbor's bank indexes).
 */
const checkpointKey = (id: string) => ({ PK: `CHECKPOINT#${id}`, SK: 'CHECKPOINT' });

const PHASE_KINDS: Record<string, JobKindCounted> = { protecting: 'protect', copying: 'copy', deleting: 'delete' };
const PHASE_DONE: Record<string, string> = { protecting: 'available', copying: 'available', deleting: 'deleted' };

/**
 * What the overview counts of a checkpoint's phase ending in `to` (docs/decisions.md §23): a protect adds the bytes its
 * manifest counted to the bank's size, a delete takes them off again.
 */
const checkpointCount = (phase: string, to: string, bankBytes: unknown): JobCount | undefined => {
  const kind = PHASE_KINDS[phase];
  if (kind === undefined) return undefined;
  const outcome = to === PHASE_DONE[phase] ? 'success' : 'error';
  const bytes = typeof bankBytes !== 'number' || outcome === 'error' ? undefined : kind === 'protect' ? bankBytes : kind === 'delete' ? -bankBytes : undefined;
  return { kind, outcome, ...(bytes === undefined ? {} : { bytes }) };
};
/** The guard of a source's copy to one destination, beside the source: it names the copy (docs/decisions.md §15). */
const copyGuardKey = (sourceId: string, destination: string) => ({ PK: `CHECKPOINT#${sourceId}`, SK: `COPY#${destination}` });
/** The three lists of a checkpoint, each by creation time then id (a `YYYY-MM-DD` bound selects whole days). */
const byProject = (providerId: string, projectId: string): TimePlace => ({ index: 'GSI1', pk: `CKPT#${providerId}#${projectId}` });
const byPlan = (planId: string, projectId: string): TimePlace => ({ index: 'GSI2', pk: `CKPT_PLAN#${planId}#${projectId}` });
const byProvider = (providerId: string): TimePlace => ({ index: 'GSI3', pk: `CKPT_PROVIDER#${providerId}` });
const position = (c: Pick<Checkpoint, 'createdAt' | 'id'>) => ({ time: c.createdAt, id: c.id });
const INDEX_ATTRS = ['GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK'];

const SCHEMA_VERSION = 1;

/** How many of a plan's newest checkpoints a delete reads to find the plan's next good one (docs/decisions.md §20). */
export const GOOD_SCAN_CAP = 200;

/** The statuses a job runs in: only they are on the index of running jobs. */
const ACTIVE: readonly string[] = ['protecting', 'deleting', 'wait_copying', 'copying'];
/** What the protect job writes on its job item besides the job state: the graph it built (onto the checkpoint when it ends). */
const CARRIED = ['resourceGraph'];
/** A change from these may end a running job without its worker (`error` is also a protect past its deadline). */
const endsRunningJob = (from: readonly string[]) => from.some((s) => ACTIVE.includes(s) || s === 'error');

/** The checkpoint item as stored (the catalog import writes it too, shared/features/catalog/store.ts). */
export const toCheckpointItem = (c: Checkpoint) => ({
  ...checkpointKey(c.id),
  entity: 'checkpoint',
  schemaVersion: SCHEMA_VERSION,
  id: c.id,
  projectId: c.projectId,
  providerId: c.providerId,
  planId: c.planId,
  status: c.status,
  protectionPlan: c.protectionPlan,
  parameters: c.parameters,
  resourceGraph: c.resourceGraph,
  extraInfo: c.extraInfo,
  createdAt: c.createdAt,
  errorReason: c.errorReason,
  bankManifestDigest: c.bankManifestDigest,
  ...(c.lock ? { lockMode: c.lock.mode, lockUntil: c.lock.until } : {}),
  ...(c.legalHold ? { legalHold: true } : {}),
  ...jobStateAttributes(c),
  ...(c.status === 'deleted'
    ? {}
    : {
        ...placeKeys(byProject(c.providerId, c.projectId), position(c)),
        ...placeKeys(byPlan(c.planId, c.projectId), position(c)),
        ...placeKeys(byProvider(c.providerId), position(c)),
      }),
  ...(ACTIVE.includes(c.status) ? activeJobKeys('checkpoint', c.id, c.createdAt) : {}),
});

const fromCheckpointItem = (item: Record<string, unknown>): Checkpoint => ({
  id: item.id as string,
  projectId: item.projectId as string,
  providerId: item.providerId as string,
  planId: item.planId as string,
  status: item.status as CheckpointStatus,
  protectionPlan: item.protectionPlan as Checkpoint['protectionPlan'],
  parameters: item.parameters as Checkpoint['parameters'],
  resourceGraph: item.resourceGraph as string | null,
  extraInfo: item.extraInfo as Record<string, unknown>,
  createdAt: item.createdAt as string,
  ...(item.errorReason === undefined ? {} : { errorReason: item.errorReason as string }),
  ...(item.bankManifestDigest === undefined ? {} : { bankManifestDigest: item.bankManifestDigest as string }),
  ...(typeof item.bankBytes === 'number' ? { bankBytes: item.bankBytes } : {}),
  ...(item.lockUntil === undefined ? {} : { lock: { mode: item.lockMode as LockMode, until: item.lockUntil as string } }),
  ...(item.legalHold === true ? { legalHold: true } : {}),
  ...jobStateFromItem(item),
});

const CHECKPOINT_ITEMS = { key: checkpointKey, map: fromCheckpointItem, position };

/**
 * The plan's newest good checkpoint but `except` (a protect that ended
 * available; copies hold an older point), by a newest-first Query of the
 * plan's checkpoints reading at most GOOD_SCAN_CAP entries, with the time the
 * plan's last-good time takes from it (its `created_at`: its item keeps no
 * other; docs/decisions.md §20). A checkpoint delete and the compliance
 * backfill use it.
 */
export const newestGoodCheckpoint = async (
  doc: DynamoDBDocumentClient,
  table: string,
  planId: string,
  projectId: string,
  except?: string,
): Promise<{ id: string; at: string } | undefined> => {
  let read = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        FilterExpression: '#status = :available AND id <> :id AND attribute_not_exists(extraInfo.source_checkpoint_id)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': byPlan(planId, projectId).pk, ':available': 'available', ':id': except ?? '' },
        ProjectionExpression: 'id, createdAt',
        ScanIndexForward: false,
        Limit: Math.min(100, GOOD_SCAN_CAP - read),
        ExclusiveStartKey: start,
      }),
    );
    read += page.ScannedCount ?? 0;
    const found = page.Items?.[0];
    if (found) return { id: String(found.id), at: String(found.createdAt) };
    start = page.LastEvaluatedKey;
  } while (start && read < GOOD_SCAN_CAP);
  return undefined;
};

export const dynamoCheckpointStore = (doc: DynamoDBDocumentClient, table: string): CheckpointRepository => {
  /** Sets one attribute, conditional on holding the job's lease (LeaseLostError otherwise). */
  /**
   * Sets attributes on the checkpoint item, only for the worker holding the job's lease: the lease is on the job
   * item (docs/decisions.md §18), so the update rides with a ConditionCheck on it.
   */
  const holderUpdate = async (id: string, token: string, update: string, values: Record<string, unknown>, names?: Record<string, string>) => {
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            // Only the worker holding the job's lease records what its job found or wrote.
            {
              ConditionCheck: {
                TableName: table,
                Key: jobKey(checkpointKey(id)),
                ConditionExpression: 'leaseToken = :token',
                ExpressionAttributeValues: { ':token': token },
              },
            },
            {
              Update: {
                TableName: table,
                Key: checkpointKey(id),
                // The checkpoint must still exist: never a stray partial item.
                ConditionExpression: 'attribute_exists(PK)',
                UpdateExpression: update,
                ExpressionAttributeValues: values,
                ...(names ? { ExpressionAttributeNames: names } : {}),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new LeaseLostError(id);
      }
      throw error;
    }
  };
  /**
   * Up to `q.limit` checkpoints of one list in time order after the marker,
   * within the date range, optionally of one plan only (a FilterExpression).
   */
  const queryRange = async (place: TimePlace, q: CheckpointQuery, planId?: string): Promise<Checkpoint[]> => {
    const page = await readPlace(doc, table, CHECKPOINT_ITEMS, place, {
      ascending: q.dir === 'asc',
      after: q.after,
      limit: q.limit,
      from: q.startDate,
      to: q.endDate,
      ...(planId === undefined ? {} : { filter: { expression: 'planId = :plan', values: { ':plan': planId } } }),
    });
    return page.items;
  };

  const store: CheckpointRepository = {
    async create(c, log, quotaLimit = -1) {
      const put = {
        TableName: table,
        Item: toCheckpointItem(c),
        // A fresh id never overwrites an existing checkpoint.
        ConditionExpression: 'attribute_not_exists(PK)',
      };
      // The checkpoint, its operation log and the project's checkpoint count change together or not at all.
      const items = [{ Put: put }, quotaUsageUpdate(table, c.projectId, 'checkpoints', 1, quotaLimit), ...(log ? [operationLogPut(table, log)] : [])];
      try {
        // Concurrent creates in one project meet on its quota counter (a scheduled fan-out).
        await retryOnConflict(() => doc.send(new TransactWriteCommand({ TransactItems: items })));
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
          throw new QuotaExceededError(`Maximum number of checkpoints allowed (${quotaLimit}) exceeded`);
        }
        if (isConflictOnly(error)) throw new ConflictError('Too many checkpoints are being created in this project at the same time; retry.');
        throw error;
      }
    },
    async get(id) {
      // With its job item: a running job's progress is there.
      const { entity, job } = await readWithJob(doc, table, checkpointKey(id));
      return entity ? fromCheckpointItem(withJobItem(entity, job, CARRIED)) : undefined;
    },
    async list(q) {
      let pages: Checkpoint[][];
      if (q.planIds && q.planIds.length > 0) {
        const projectId = q.projectId;
        pages = await Promise.all(
          q.planIds.map(async (planId) => {
            if (projectId !== undefined) return queryRange(byPlan(planId, projectId), q);
            // all_tenants with a plan filter: the provider-wide index, filtered to that plan.
            return queryRange(byProvider(q.providerId), q, planId);
          }),
        );
        pages = pages.map((p) => p.filter((c) => c.providerId === q.providerId));
      } else if (q.projectId !== undefined) {
        pages = [await queryRange(byProject(q.providerId, q.projectId), q)];
      } else {
        pages = [await queryRange(byProvider(q.providerId), q)];
      }
      return withLiveJobs(doc, table, checkpointKey, ACTIVE, mergeByTime(CHECKPOINT_ITEMS, pages, q.dir === 'asc', q.limit), CARRIED);
    },
    async transition(id, change): Promise<Checkpoint> {
      const lost = () => new ConditionLostError(`Checkpoint ${id} is gone or not in ${change.from.join(', ')}.`);
      const values: Record<string, unknown> = { ':to': change.to };
      change.from.forEach((s, i) => {
        values[`:f${i}`] = s;
      });
      // Current status must be one the change starts from; a protect past its deadline counts as `error`.
      let condition = `#status IN (${change.from.map((_, i) => `:f${i}`).join(', ')})`;
      if (change.from.includes('error')) {
        condition = `(${condition} OR (#status = :protecting AND deadline < :now))`;
        values[':protecting'] = 'protecting';
        values[':now'] = change.now;
      }
      if (change.unlockedAt !== undefined) {
        // A delete never passes a running lock or a hold, even one written after the caller read the checkpoint.
        condition += ' AND (attribute_not_exists(lockUntil) OR lockUntil <= :unlockedAt) AND (attribute_not_exists(legalHold) OR legalHold = :false)';
        values[':unlockedAt'] = change.unlockedAt;
        values[':false'] = false;
      }
      let update = 'SET #status = :to';
      if (change.log?.put) {
        update += ', operationLogId = :logId';
        values[':logId'] = change.log.put.id;
      }
      if (change.deadline !== undefined) {
        update += ', deadline = :deadline, attempts = :zero';
        values[':deadline'] = change.deadline;
        values[':zero'] = 0;
      }
      // On the index of running jobs exactly while active: since this change when it starts a phase.
      const active = ACTIVE.includes(change.to);
      if (active) {
        const keys = activeJobKeys('checkpoint', id, change.now);
        update += ', GSI4PK = :activePK, GSI4SK = :activeSK';
        values[':activePK'] = keys.GSI4PK;
        values[':activeSK'] = keys.GSI4SK;
      }
      // A new status starts with a clean job state; removing the lease fences out a worker still running the old phase.
      update += ' REMOVE leaseToken, leaseUntil, lastError';
      if (!active) update += `, ${ACTIVE_JOB_ATTRS.join(', ')}`;
      if (change.to === 'deleted') update += `, ${INDEX_ATTRS.join(', ')}`;
      const input = {
        TableName: table,
        Key: checkpointKey(id),
        ConditionExpression: `attribute_exists(PK) AND ${condition}`,
        UpdateExpression: update,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      };
      // Leaving a running phase: its job item goes, so a worker still running it fails its next write and stops.
      const fence = endsRunningJob(change.from);
      try {
        if (!change.log && change.quotaDelta === undefined && !fence) {
          const { Attributes } = await doc.send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
          return fromCheckpointItem(Attributes!);
        }
        // The status change and its operation log (a new one, or the end of the current one) in one transaction.
        const extra: object[] = [];
        if (change.log?.put) extra.push(operationLogPut(table, change.log.put));
        if (change.log?.update) extra.push({ Update: operationLogUpdate(table, change.log.update) });
        if (fence) extra.push({ Delete: { TableName: table, Key: jobKey(checkpointKey(id)) } });
        if (change.quotaDelta !== undefined) {
          const projectId = (await store.get(id))?.projectId;
          if (projectId === undefined) throw lost();
          extra.push(quotaUsageUpdate(table, projectId, 'checkpoints', change.quotaDelta));
        }
        await retryOnConflict(() => doc.send(new TransactWriteCommand({ TransactItems: [{ Update: input }, ...extra] as never })));
        return (await store.get(id))!;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw lost();
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') throw lost();
        throw error;
      }
    },
    async remove(id, status: CheckpointStatus, logId?: string) {
      const del = {
        TableName: table,
        Key: checkpointKey(id),
        // Only the untouched checkpoint of a failed start goes away.
        ConditionExpression: '#status = :s',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':s': status },
      };
      try {
        const projectId = (await store.get(id))?.projectId;
        if (projectId === undefined) return;
        // Its operation log goes with it, and it no longer counts against the quota.
        await retryOnConflict(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Delete: del },
                quotaUsageUpdate(table, projectId, 'checkpoints', -1),
                ...(logId === undefined ? [] : [operationLogDelete(table, logId)]),
                // A worker that got its request after all stops at its next write.
                { Delete: { TableName: table, Key: jobKey(checkpointKey(id)) } },
              ] as never,
            }),
          ),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException) {
          throw new ConditionLostError(`Checkpoint ${id} changed while it was being removed.`);
        }
        throw error;
      }
    },
    async copiesOf(sourceIds, destination) {
      const found = new Map<string, string>();
      // BatchGetItem takes 100 keys a call; a copy request has at most a few hundred sources.
      for (let i = 0; i < sourceIds.length; i += 100) {
        let keys: Record<string, string>[] | undefined = sourceIds.slice(i, i + 100).map((id) => copyGuardKey(id, destination));
        while (keys && keys.length > 0) {
          const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
          for (const item of out.Responses?.[table] ?? []) found.set(item.sourceId as string, item.copyId as string);
          keys = out.UnprocessedKeys?.[table]?.Keys as Record<string, string>[] | undefined;
        }
      }
      return found;
    },
    async createCopies(copies, quotaLimit) {
      if (copies.length === 0) return;
      const items: object[] = [quotaUsageUpdate(table, copies[0].copy.projectId, 'checkpoints', copies.length, quotaLimit)];
      for (const { copy, log, sourceId, destination, replaces } of copies) {
        // A fresh id never overwrites an existing checkpoint.
        items.push({ Put: { TableName: table, Item: toCheckpointItem(copy), ConditionExpression: 'attribute_not_exists(PK)' } });
        items.push(operationLogPut(table, log));
        items.push({
          Put: {
            TableName: table,
            Item: { ...copyGuardKey(sourceId, destination), entity: 'checkpoint-copy', schemaVersion: SCHEMA_VERSION, sourceId, destination, copyId: copy.id },
            // One copy per source and destination: the guard is new, or still names the failed copy this one replaces.
            ConditionExpression: replaces === undefined ? 'attribute_not_exists(PK)' : 'copyId = :replaced',
            ...(replaces === undefined ? {} : { ExpressionAttributeValues: { ':replaced': replaces } }),
          },
        });
        if (replaces !== undefined) {
          items.push({
            ConditionCheck: {
              TableName: table,
              Key: checkpointKey(replaces),
              // The copy replaced must still be failed or deleted: one reset to available meanwhile still counts.
              ConditionExpression: '#status IN (:error, :deleted)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':error': 'error', ':deleted': 'deleted' },
            },
          });
        }
      }
      try {
        await retryOnConflict(() => doc.send(new TransactWriteCommand({ TransactItems: items as never })));
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
          throw new QuotaExceededError(`Maximum number of checkpoints allowed (${quotaLimit}) exceeded`);
        }
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
          throw new ConflictError('Another request is copying these checkpoints at the same time; retry.');
        }
        if (isConflictOnly(error)) throw new ConflictError('Too many checkpoints are being created in this project at the same time; retry.');
        throw error;
      }
    },
    // Karbor's `copy_status: finished`, as the copy job's last step.
    setKeys: (id, token, keys) => holderUpdate(id, token, 'SET extraInfo.#keys = :keys', { ':keys': keys }, { '#keys': 'keys' }),
    markCopied: (id, token) => holderUpdate(id, token, 'SET extraInfo.copy_status = :finished', { ':finished': COPY_FINISHED.copy_status }),
    // Only the lease holder (the protect that wrote the bank objects) writes their manifest's digest, on the checkpoint item.
    setManifestDigest: (id, token, digest, bytes) =>
      bytes === undefined
        ? holderUpdate(id, token, 'SET bankManifestDigest = :d', { ':d': digest })
        : holderUpdate(id, token, 'SET bankManifestDigest = :d, bankBytes = :b', { ':d': digest, ':b': bytes }),
    async setLock(id, change) {
      // DynamoDB refuses unused values: the lock's own are added with the lock's conditions.
      const values: Record<string, unknown> = { ':available': 'available' };
      // Only an available checkpoint is locked: one a delete has taken (deleting) stays deletable.
      const conditions = ['#status = :available'];
      const set: string[] = [];
      const remove: string[] = [];
      const free = '(attribute_not_exists(lockUntil) OR lockUntil <= :now)';
      if (change.lock !== undefined) {
        const next = change.lock;
        values[':now'] = change.now;
        values[':compliance'] = 'compliance';
        if (next === null) {
          remove.push('lockMode', 'lockUntil');
          // Nobody lifts a running compliance lock, whoever asks (a stolen admin token included).
          conditions.push(`(${free} OR lockMode <> :compliance)`);
          // Without the unlock right, a running lock is not lifted at all.
          if (!change.mayShorten) conditions.push(free);
        } else {
          set.push('lockMode = :mode', 'lockUntil = :until');
          values[':mode'] = next.mode;
          values[':until'] = next.until;
          // A running compliance lock only gets later, and stays compliance.
          const extended = next.mode === 'compliance' ? ' OR lockUntil <= :until' : '';
          conditions.push(`(${free} OR lockMode <> :compliance${extended})`);
          // Without the unlock right, a running lock is only extended.
          if (!change.mayShorten) conditions.push(`(${free} OR lockUntil <= :until)`);
        }
      }
      if (change.legalHold === true) {
        set.push('legalHold = :true');
        values[':true'] = true;
      }
      if (change.legalHold === false) {
        remove.push('legalHold');
        // Without the unlock right a hold stays (releasing one that is not set is a no-op).
        if (!change.mayShorten) conditions.push('attribute_not_exists(legalHold)');
      }
      const update = [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''].join(' ').trim();
      try {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: checkpointKey(id),
            ConditionExpression: `attribute_exists(PK) AND ${conditions.join(' AND ')}`,
            UpdateExpression: update,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return fromCheckpointItem(Attributes!);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new ConditionLostError(`Checkpoint ${id} changed while its lock was being written.`);
        throw error;
      }
    },
    async setGraph(id, token, graph) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            // On the job item (one small write); the final write copies it onto the checkpoint.
            Key: jobKey(checkpointKey(id)),
            // Only the lease holder writes the graph.
            ConditionExpression: 'leaseToken = :token',
            UpdateExpression: 'SET resourceGraph = :g',
            ExpressionAttributeValues: { ':token': token, ':g': graph },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new LeaseLostError(id);
        throw error;
      }
    },
    async retractGood(c) {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: complianceKey(c.planId), ConsistentRead: true }));
      if (Item?.lastGoodCheckpointId !== c.id) return;
      const next = await newestGoodCheckpoint(doc, table, c.planId, c.projectId, c.id);
      try {
        await doc.send(new UpdateCommand(goodCheckpointRetract(table, c.planId, c.id, next).Update));
      } catch (error) {
        // A protect that ended meanwhile named a newer good checkpoint: it stays.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    jobs: dynamoJobStore(
      doc,
      table,
      checkpointKey,
      fromCheckpointItem,
      (to, entity, at) => {
        const count = checkpointCount(String(entity.status), to, entity.bankBytes);
        if (to === 'deleted') return { remove: INDEX_ATTRS, count };
        // A protect that ends available is its plan's newest good checkpoint (docs/decisions.md §20); a copy holds an older point.
        if (to === 'available' && entity.status === 'protecting' && at !== undefined) {
          return { also: [goodCheckpointSet(table, entity.planId as string, entity.id as string, at)], count };
        }
        return { count };
      },
      CARRIED,
    ),
  };
  return store;
};
