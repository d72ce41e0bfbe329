import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mergeByTime, placeKeys, readPlace, type TimePlace } from '../../dynamo/time-list';
import type { Checkpoint, CheckpointQuery, CheckpointRepository, CheckpointStatus, LockMode } from './model';
import { ConditionLostError, ConflictError, QuotaExceededError } from '../../kernel/errors';
import { quotaUsageUpdate } from '../quotas/transact';
import { isConflictOnly, retryOnConflict } from '../../dynamo/retry';
import { LeaseLostError } from '../jobs/model';
import { ACTIVE_JOB_ATTRS, activeJobKeys, dynamoJobStore, jobStateAttributes, jobStateFromItem } from '../jobs/transact';
import { operationLogDelete, operationLogPut, operationLogUpdate } from '../operation-logs/transact';

/**
 * Checkpoint items. Access patterns:
 * - by id (show/delete/reset, workers):      GetItem PK=CHECKPOINT#<id> SK=CHECKPOINT
 * - a project's checkpoints of a provider,
 *   by creation time (list):                 Query GSI1 PK=CKPT#<provider>#<project> SK between <date>.. (ISO time#id)
 * - a plan's checkpoints (list plan_id,
 *   retention, copy):                         Query GSI2 PK=CKPT_PLAN#<plan>#<project> SK between ...
 * - a provider's checkpoints of every
 *   project (admin all_tenants):              Query GSI3 PK=CKPT_PROVIDER#<provider> SK between ...
 * - every running job (the sweep):            Query GSI4 PK=JOBS_ACTIVE#<shard> (shared/features/protection/transact.ts),
 *                                             set only while `protecting`/`deleting`
 * The three index keys are removed when a checkpoint reaches `deleted`: it
 * stays readable by id but is no longer listed (Karbor's bank indexes).
 */
const checkpointKey = (id: string) => ({ PK: `CHECKPOINT#${id}`, SK: 'CHECKPOINT' });
/** The three lists of a checkpoint, each by creation time then id (a `YYYY-MM-DD` bound selects whole days). */
const byProject = (providerId: string, projectId: string): TimePlace => ({ index: 'GSI1', pk: `CKPT#${providerId}#${projectId}` });
const byPlan = (planId: string, projectId: string): TimePlace => ({ index: 'GSI2', pk: `CKPT_PLAN#${planId}#${projectId}` });
const byProvider = (providerId: string): TimePlace => ({ index: 'GSI3', pk: `CKPT_PROVIDER#${providerId}` });
const position = (c: Pick<Checkpoint, 'createdAt' | 'id'>) => ({ time: c.createdAt, id: c.id });
const INDEX_ATTRS = ['GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK'];

const SCHEMA_VERSION = 1;

/** The statuses a job runs in: only they are on the index of running jobs. */
const ACTIVE: readonly string[] = ['protecting', 'deleting'];

const toItem = (c: Checkpoint) => ({
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
  ...(item.lockUntil === undefined ? {} : { lock: { mode: item.lockMode as LockMode, until: item.lockUntil as string } }),
  ...(item.legalHold === true ? { legalHold: true } : {}),
  ...jobStateFromItem(item),
});

const CHECKPOINT_ITEMS = { key: checkpointKey, map: fromCheckpointItem, position };

export const dynamoCheckpointStore = (doc: DynamoDBDocumentClient, table: string): CheckpointRepository => {
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
        Item: toItem(c),
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
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: checkpointKey(id) }));
      return Item ? fromCheckpointItem(Item) : undefined;
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
      return mergeByTime(CHECKPOINT_ITEMS, pages, q.dir === 'asc', q.limit);
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
      try {
        if (!change.log && change.quotaDelta === undefined) {
          const { Attributes } = await doc.send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
          return fromCheckpointItem(Attributes!);
        }
        // The status change and its operation log (a new one, or the end of the current one) in one transaction.
        const extra: object[] = [];
        if (change.log?.put) extra.push(operationLogPut(table, change.log.put));
        if (change.log?.update) extra.push({ Update: operationLogUpdate(table, change.log.update) });
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
            Key: checkpointKey(id),
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
    jobs: dynamoJobStore(doc, table, checkpointKey, fromCheckpointItem, (to) => (to === 'deleted' ? { remove: INDEX_ATTRS } : {})),
  };
  return store;
};
