import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Claim, type JobKind, type JobLease, type JobState, type JobStore, LeaseLostError, type LogUpdate } from './model';
import { operationLogUpdate } from '../operation-logs/transact';
import { ConditionLostError } from '../../kernel/errors';

/**
 * What the stores of jobs (checkpoints, restores) include from protection:
 * the keys of the index of running jobs on their items, and the job half of
 * their store (lease, progress, final write), whose conditions are the
 * worker's lease protocol. The index itself is read in ./store.ts.
 */

/**
 * The sparse index of running jobs (GSI4 in INDEX_MAP): a checkpoint being
 * protected or deleted, and a restore in progress, carry these two
 * attributes only while they are in that status, so the sweep finds every
 * job to resume with a few Queries, never a Scan, however many jobs have
 * finished. Spread over ACTIVE_SHARDS partitions so that a burst of jobs (a
 * scheduled fan-out: every renewal also rewrites the index entry) never
 * meets on one index partition.
 *   PK = JOBS_ACTIVE#<shard>   SK = <ISO time the phase started>#<kind>#<id>
 */
export const ACTIVE_SHARDS = 8;
export const ACTIVE_JOB_ATTRS = ['GSI4PK', 'GSI4SK'];
const activeShard = (id: string): number => [...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % ACTIVE_SHARDS, 0);

/** The index attributes of a job in its active status since `since` (ISO). */
export const activeJobKeys = (kind: JobKind, id: string, since: string) => ({
  GSI4PK: `JOBS_ACTIVE#${activeShard(id)}`,
  GSI4SK: `${since}#${kind}#${id}`,
});

/** The job state's stored attributes (./model.ts `JobState` but its status), one line per field: checkpoints and restores keep them alike. */
export const jobStateAttributes = (j: JobState) => ({
  deadline: j.deadline,
  attempts: j.attempts,
  lastError: j.lastError,
  resourcesStatus: j.resourcesStatus,
  resourcesReason: j.resourcesReason,
  operationLogId: j.operationLogId,
  jobSteps: j.jobSteps,
  resourcesMade: j.resourcesMade,
});

/** The job state read back from an item, optional fields only when stored. */
export const jobStateFromItem = (item: Record<string, unknown>): Omit<JobState, 'status'> => ({
  deadline: item.deadline as string,
  attempts: item.attempts as number,
  ...(item.lastError === undefined ? {} : { lastError: item.lastError as string }),
  resourcesStatus: item.resourcesStatus as Record<string, string>,
  resourcesReason: item.resourcesReason as Record<string, string>,
  ...(item.operationLogId === undefined ? {} : { operationLogId: item.operationLogId as string }),
  ...(item.jobSteps === undefined ? {} : { jobSteps: item.jobSteps as Record<string, unknown> }),
  ...(item.resourcesMade === undefined ? {} : { resourcesMade: item.resourcesMade as Record<string, string> }),
});

/**
 * The job half of an entity store (checkpoints, restores): lease, progress
 * and final write on the item at `key`. Every write is conditional on the
 * lease it holds, so a worker that lost its lease cannot overwrite a newer one.
 */
export const dynamoJobStore = <T extends JobState>(
  doc: DynamoDBDocumentClient,
  table: string,
  key: (id: string) => Record<string, string>,
  fromItem: (item: Record<string, unknown>) => T,
  /** Extra updates when a job reaches `to` (e.g. a deleted checkpoint leaves the list indexes). */
  finalUpdate: (to: string) => { remove?: string[] } = () => ({}),
): JobStore<T> => {
  const failed = (error: unknown) => error instanceof ConditionalCheckFailedException;
  /** A write refused because the lease is gone (an admin's reset, a takeover): the worker must stop, not retry. */
  const orLeaseLost = async (id: string, write: () => Promise<unknown>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      if (failed(error)) throw new LeaseLostError(id);
      throw error;
    }
  };
  /** An update only the lease holder may make. */
  const holderUpdate = (id: string, token: string, update: string, values: Record<string, unknown>, names?: Record<string, string>) =>
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key(id),
        ConditionExpression: 'leaseToken = :token',
        UpdateExpression: update,
        ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: { ':token': token, ...values },
      }),
    );
  return {
    async claim(id: string, active: string, lease: JobLease): Promise<Claim<T>> {
      try {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: key(id),
            // One worker at a time: the job must still be active and any earlier lease over.
            ConditionExpression: '#status = :active AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
            // jobSteps: the local engine's recorded step results (./job-steps.ts), a map each step adds to.
            UpdateExpression:
              'SET leaseToken = :token, leaseUntil = :until, attempts = if_not_exists(attempts, :zero) + :one, jobSteps = if_not_exists(jobSteps, :none)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':active': active,
              ':now': lease.now,
              ':token': lease.token,
              ':until': lease.until,
              ':zero': 0,
              ':one': 1,
              ':none': {},
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { outcome: 'claimed', item: fromItem(Attributes!) };
      } catch (error) {
        if (!failed(error)) throw error;
        // Only to tell "finished" from "held": the write itself already failed safely.
        const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key(id), ConsistentRead: true }));
        if (!Item) return { outcome: 'inactive' };
        const item = fromItem(Item);
        return item.status === active ? { outcome: 'held', item, until: String(Item.leaseUntil ?? lease.now) } : { outcome: 'inactive', item };
      }
    },
    renew: (id, token, until) =>
      // Only the holder extends its lease; a worker that lost it must not take it back.
      orLeaseLost(id, () => holderUpdate(id, token, 'SET leaseUntil = :until', { ':until': until })),
    // Only the lease holder records progress, and a step: the job goes on only once it is written.
    setResource: (id, token, resource, status, reason) =>
      orLeaseLost(id, () =>
        holderUpdate(
          id,
          token,
          reason === undefined ? 'SET resourcesStatus.#r = :s REMOVE resourcesReason.#r' : 'SET resourcesStatus.#r = :s, resourcesReason.#r = :why',
          { ':s': status, ...(reason === undefined ? {} : { ':why': reason }) },
          { '#r': resource },
        ),
      ),
    saveStep: (id, token, name, value) => orLeaseLost(id, () => holderUpdate(id, token, 'SET jobSteps.#n = :v', { ':v': value }, { '#n': name })),
    async finish(id, token, from, to, reason, log?: LogUpdate, made?: Record<string, string>) {
      // A finished job leaves the index of running jobs; its recorded steps are done with (a next phase starts afresh).
      const remove = ['leaseToken', 'leaseUntil', 'jobSteps', ...ACTIVE_JOB_ATTRS, ...(finalUpdate(to).remove ?? [])];
      const withMade = made !== undefined && Object.keys(made).length > 0;
      const set = ['#status = :to', ...(reason === undefined ? [] : ['errorReason = :why']), ...(withMade ? ['resourcesMade = :made'] : [])];
      const update = {
        TableName: table,
        Key: key(id),
        // The final status is written once, by the lease holder, from the active status.
        ConditionExpression: '#status = :from AND leaseToken = :token',
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':from': from,
          ':token': token,
          ':to': to,
          ...(reason === undefined ? {} : { ':why': reason }),
          ...(withMade ? { ':made': made } : {}),
        },
      };
      try {
        if (log) {
          // The job and its operation log reach their final status together.
          await doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { Update: operationLogUpdate(table, log) }] }));
        } else {
          await doc.send(new UpdateCommand(update));
        }
      } catch (error) {
        if (failed(error)) throw new LeaseLostError(id);
        if (error instanceof TransactionCanceledException) {
          const [job, logResult] = error.CancellationReasons ?? [];
          if (job?.Code === 'ConditionalCheckFailed') throw new LeaseLostError(id);
          // A missing log must not keep the job from finishing.
          if (logResult?.Code === 'ConditionalCheckFailed') return this.finish(id, token, from, to, reason, undefined, made);
        }
        throw error;
      }
    },
    async release(id, token, lastError) {
      // Give back only our own lease, so the retry can start at once; a lease already gone needs no giving back.
      try {
        await holderUpdate(id, token, 'SET lastError = :e REMOVE leaseToken, leaseUntil', { ':e': lastError.slice(0, 1000) });
      } catch (error) {
        if (!failed(error)) throw error;
      }
    },
  };
};

/**
 * Fails a job nobody has started finishing (`in_progress`: a restore or a
 * verification whose work request could not be sent), with its operation
 * log in the same transaction; ConditionLostError (`<what> <id> is no longer
 * in progress.`) when it already moved on.
 */
export const failUnstartedJob = async (
  doc: DynamoDBDocumentClient,
  table: string,
  key: Record<string, string>,
  what: { name: string; id: string },
  reason: string,
  log?: LogUpdate,
): Promise<void> => {
  const update = {
    TableName: table,
    Key: key,
    // Only a job nobody finished yet turns into a failure here.
    ConditionExpression: '#status = :active',
    UpdateExpression: `SET #status = :fail, errorReason = :why REMOVE ${ACTIVE_JOB_ATTRS.join(', ')}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'in_progress', ':fail': 'fail', ':why': reason },
  };
  try {
    if (!log) await doc.send(new UpdateCommand(update));
    else await doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { Update: operationLogUpdate(table, log) }] }));
  } catch (error) {
    const lost =
      error instanceof ConditionalCheckFailedException ||
      (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed');
    if (lost) throw new ConditionLostError(`${what.name} ${what.id} is no longer in progress.`);
    throw error;
  }
};
