import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Claim, type JobKind, type JobLease, type JobState, type JobStore, LeaseLostError, type LogUpdate } from './model';
import { operationLogUpdate } from '../operation-logs/transact';
import { batchGetItems } from '../../dynamo/batch-get';
import { ConditionLostError } from '../../kernel/errors';
import { shardOf } from '../../dynamo/shard';
import { type JobCount, jobCountUpdates } from '../overview/transact';
import { isConflictOnly, retryOnConflict } from '../../dynamo/retry';

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

/** The index attributes of a job in its active status since `since` (ISO). */
export const activeJobKeys = (kind: JobKind, id: string, since: string) => ({
  GSI4PK: `JOBS_ACTIVE#${shardOf(id, ACTIVE_SHARDS)}`,
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

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

/** Tries of a final write that met another transaction on one of its items, before it goes without its counts (§23). */
const FINISH_CONFLICT_ATTEMPTS = 3;

/**
 * The job item (docs/decisions.md §18): the mutable state of a running job
 * (lease, attempts, per-resource status and reason, recorded steps, what it
 * made, last error, and an entity's own `carried` attributes such as a
 * checkpoint's resource graph) lives beside its entity, same PK, SK
 * `<entity SK>#JOB`, on an item no index holds: a lease renewal, a resource's
 * status or a step costs one small write, not the entity and its index
 * entries. It exists from the first claim of a phase to its final write,
 * which copies its state onto the entity and deletes it; `phase` is the
 * entity status it was claimed for.
 */
export const jobKey = (entity: Key): Key => ({ PK: entity.PK, SK: `${entity.SK}#JOB` });

/** The job state kept on the job item while the job runs (the rest, status, deadline and log, stays on the entity). */
const STATE_ATTRS = ['attempts', 'lastError', 'resourcesStatus', 'resourcesReason', 'jobSteps', 'resourcesMade'];
/** Lease attributes: on the job item; on the entity only in the layout before §18 (a job in flight during the upgrade). */
const LEASE_ATTRS = ['leaseToken', 'leaseUntil'];

/** The job item's state over the entity's (which holds it as of its last final write, or as the layout before §18 kept it). */
export const withJobItem = (entity: Item, job: Item | undefined, carried: readonly string[] = []): Item => {
  // A job item of another phase is stale (its phase ended without it): the entity's own state stands.
  if (!job || job.phase !== entity.status) return entity;
  const merged: Item = { ...entity };
  for (const a of [...STATE_ATTRS, ...carried]) if (job[a] !== undefined) merged[a] = job[a];
  return merged;
};

/** The entity and its job item, one Query on the entity's partition. */
export const readWithJob = async (doc: DynamoDBDocumentClient, table: string, key: Key, consistent = false): Promise<{ entity?: Item; job?: Item }> => {
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': key.PK, ':sk': key.SK },
      ConsistentRead: consistent,
    }),
  );
  return { entity: Items.find((i) => i.SK === key.SK), job: Items.find((i) => i.SK === jobKey(key).SK) };
};

/**
 * Listed entities with the live state of those whose job runs (status in `active`): one BatchGetItem of their job
 * items, so a list shows `resources_status` as it goes.
 */
export const withLiveJobs = async <T extends JobState & { id: string }>(
  doc: DynamoDBDocumentClient,
  table: string,
  key: (id: string) => Key,
  active: readonly string[],
  items: T[],
  carried: readonly string[] = [],
): Promise<T[]> => {
  const running = items.filter((i) => active.includes(i.status));
  if (running.length === 0) return items;
  const jobs = new Map(
    (
      await batchGetItems(
        doc,
        table,
        running.map((i) => jobKey(key(i.id))),
        (j) => j,
      )
    ).map((j) => [j.PK, j]),
  );
  return items.map((i) => {
    const job = jobs.get(key(i.id).PK);
    if (!job || job.phase !== i.status) return i;
    const live: Item = {};
    for (const a of [...STATE_ATTRS, ...carried]) if (job[a] !== undefined) live[a] = job[a];
    return { ...i, ...live };
  });
};

/**
 * The job half of an entity store (checkpoints, restores): lease, progress
 * and final write, on the job item beside the entity at `key`. Every write is
 * conditional on the lease it holds, so a worker that lost its lease cannot
 * overwrite a newer one. A status change of the entity that ends a running
 * phase without the worker (a reset, a failed start) deletes the job item in
 * its transaction: the worker's next write then fails and it stops.
 */
export const dynamoJobStore = <T extends JobState>(
  doc: DynamoDBDocumentClient,
  table: string,
  key: (id: string) => Key,
  fromItem: (item: Item) => T,
  /**
   * Extra changes when a job reaches `to`, given the stored entity and the
   * time: attributes the entity loses (a deleted checkpoint leaves the list
   * indexes) and unconditional transaction entries of other items (a
   * protected checkpoint's plan learns of it, docs/decisions.md §20), and
   * what the overview counts of the job (its day's counters and the bank's
   * size, docs/decisions.md §23).
   */
  finalUpdate: (to: string, entity: Item, at?: string) => { remove?: string[]; also?: Record<string, unknown>[]; count?: JobCount } = () => ({}),
  /** The entity's own attributes a lease holder writes on the job item (a checkpoint's graph), copied onto the entity by the final write. */
  carried: readonly string[] = [],
): JobStore<T> => {
  const failed = (error: unknown) => error instanceof ConditionalCheckFailedException;
  const cancelledBy = (error: unknown, at: number) =>
    error instanceof TransactionCanceledException && error.CancellationReasons?.[at]?.Code === 'ConditionalCheckFailed';
  /** A write refused because the lease is gone (an admin's reset, a takeover): the worker must stop, not retry. */
  const orLeaseLost = async (id: string, write: () => Promise<unknown>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      if (failed(error)) throw new LeaseLostError(id);
      throw error;
    }
  };
  /** An update only the lease holder may make, on the job item (one small write: no index holds it). */
  const holderUpdate = (id: string, token: string, update: string, values: Item, names?: Record<string, string>, at: Key = jobKey(key(id))) =>
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: at,
        ConditionExpression: 'leaseToken = :token',
        UpdateExpression: update,
        ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: { ':token': token, ...values },
      }),
    );
  /** Held, inactive or claimable, from what is stored now. */
  const assess = (entity: Item | undefined, job: Item | undefined, active: string, now: string) => {
    if (!entity) return { outcome: 'inactive' as const };
    const item = fromItem(withJobItem(entity, job, carried));
    if (entity.status !== active) return { outcome: 'inactive' as const, item };
    const current = job?.phase === active ? job : undefined;
    // Before §18 the lease was on the entity: a worker of the earlier version may still hold it.
    const legacy = current === undefined && LEASE_ATTRS.concat('jobSteps').some((a) => entity[a] !== undefined);
    const until = (current ?? (legacy ? entity : {})).leaseUntil as string | undefined;
    if (until !== undefined && until >= now) return { outcome: 'held' as const, item, until };
    return { outcome: 'claimable' as const, item, current, legacy };
  };
  return {
    async claim(id: string, active: string, lease: JobLease): Promise<Claim<T>> {
      const { entity, job } = await readWithJob(doc, table, key(id), true);
      const seen = assess(entity, job, active, lease.now);
      if (seen.outcome !== 'claimable') return seen;
      const { current, legacy } = seen;
      // A first claim starts the job item from the entity's state (for a job in flight during the upgrade: its lease, steps, attempts).
      const from = current ?? entity!;
      const next: Item = {
        ...jobKey(key(id)),
        entity: `${String(entity!.entity)}-job`,
        schemaVersion: 1,
        phase: active,
        ...Object.fromEntries([...STATE_ATTRS, ...carried].filter((a) => from[a] !== undefined).map((a) => [a, from[a]])),
        jobSteps: from.jobSteps ?? {},
        attempts: Number(from.attempts ?? 0) + 1,
        leaseToken: lease.token,
        leaseUntil: lease.until,
      };
      const entityCheck = {
        TableName: table,
        Key: key(id),
        // The job must still be in this phase, and no worker of the earlier layout hold a lease on the entity.
        ConditionExpression: '#status = :active AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': active, ':now': lease.now },
      };
      const jobPut = {
        TableName: table,
        Item: next,
        // One worker at a time: the job item is as read (none, another phase's, or this phase's with its lease over).
        ConditionExpression: current
          ? 'phase = :active AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)'
          : 'attribute_not_exists(PK) OR phase <> :active',
        ExpressionAttributeValues: { ':active': active, ...(current ? { ':now': lease.now } : {}) },
      };
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              // The upgrade's first claim moves the lease and steps off the entity (a worker of the earlier version then stops).
              legacy ? { Update: { ...entityCheck, UpdateExpression: 'REMOVE leaseToken, leaseUntil, jobSteps' } } : { ConditionCheck: entityCheck },
              { Put: jobPut },
            ],
          }),
        );
        return { outcome: 'claimed', item: fromItem(withJobItem({ ...entity!, jobSteps: undefined }, next, carried)) };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Another claim or status change came first: what is stored now says held or inactive (the write failed safely).
        const again = await readWithJob(doc, table, key(id), true);
        const now = assess(again.entity, again.job, active, lease.now);
        if (now.outcome === 'claimable') return { outcome: 'held', item: now.item, until: lease.now };
        return now;
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
    async finish(id, token, from, to, reason, log?: LogUpdate, made?: Record<string, string>, at?: string, counted = true) {
      // The job item and the entity in one Query: what the final write includes may depend on the entity (its plan).
      const { entity, job } = await readWithJob(doc, table, key(id), true);
      if (!job || !entity || job.leaseToken !== token) throw new LeaseLostError(id);
      const extra = finalUpdate(to, entity, at);
      // The job's state goes onto the entity with its final status; it leaves the index of running jobs.
      const withMade = made !== undefined && Object.keys(made).length > 0;
      const state: Item = {
        ...Object.fromEntries([...STATE_ATTRS, ...carried].filter((a) => a !== 'jobSteps' && job[a] !== undefined).map((a) => [a, job[a]])),
        ...(withMade ? { resourcesMade: made } : {}),
        ...(reason === undefined ? {} : { errorReason: reason }),
      };
      const names: Record<string, string> = { '#status': 'status' };
      const values: Item = { ':from': from, ':to': to };
      const set = ['#status = :to'];
      Object.entries(state).forEach(([a, v], i) => {
        names[`#a${i}`] = a;
        values[`:a${i}`] = v;
        set.push(`#a${i} = :a${i}`);
      });
      // Its recorded steps are done with (a next phase starts afresh); lease and steps of the earlier layout go too.
      const remove = [...LEASE_ATTRS, 'jobSteps', ...ACTIVE_JOB_ATTRS, ...(extra.remove ?? [])];
      const update = {
        TableName: table,
        Key: key(id),
        // The final status is written once, from the active status.
        ConditionExpression: '#status = :from',
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      // By the lease holder only: the job item goes with the final write.
      const done = { TableName: table, Key: jobKey(key(id)), ConditionExpression: 'leaseToken = :token', ExpressionAttributeValues: { ':token': token } };
      // Counted in the same transaction: the overview's figures never need a read of jobs (docs/decisions.md §23).
      const counts =
        counted && extra.count !== undefined && at !== undefined ? jobCountUpdates(table, { id, projectId: String(entity.projectId), at }, extra.count) : [];
      try {
        // The job, its job item, its operation log and its counts reach their end together.
        await retryOnConflict(
          () =>
            doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Update: update },
                  { Delete: done },
                  ...(log ? [{ Update: operationLogUpdate(table, log) }] : []),
                  ...(extra.also ?? []),
                  ...counts,
                ] as never,
              }),
            ),
          FINISH_CONFLICT_ATTEMPTS,
        );
      } catch (error) {
        if (cancelledBy(error, 0) || cancelledBy(error, 1)) throw new LeaseLostError(id);
        // A missing log must not keep the job from finishing.
        if (log && cancelledBy(error, 2)) return this.finish(id, token, from, to, reason, undefined, made, at, counted);
        // Nor may a counter another job's transaction holds at this instant: the job finishes, its count is lost (§23).
        if (counts.length > 0 && isConflictOnly(error)) return this.finish(id, token, from, to, reason, log, made, at, false);
        throw error;
      }
    },
    async release(id, token, lastError) {
      // Give back only our own lease, so the retry can start at once; a lease already gone needs no giving back.
      const error = lastError.slice(0, 1000);
      for (const at of [jobKey(key(id)), key(id)]) {
        // The entity holds the lease only in the layout before §18 (a job in flight during the upgrade).
        try {
          await holderUpdate(id, token, 'SET lastError = :e REMOVE leaseToken, leaseUntil', { ':e': error }, undefined, at);
          return;
        } catch (e) {
          if (!failed(e)) throw e;
        }
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
  key: Key,
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
  // Its job item goes with it: a worker that got the request after all fails its next write and stops.
  const fence = { Delete: { TableName: table, Key: jobKey(key) } };
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, fence, ...(log ? [{ Update: operationLogUpdate(table, log) }] : [])] }));
  } catch (error) {
    const lost =
      error instanceof ConditionalCheckFailedException ||
      (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed');
    if (lost) throw new ConditionLostError(`${what.name} ${what.id} is no longer in progress.`);
    throw error;
  }
};
