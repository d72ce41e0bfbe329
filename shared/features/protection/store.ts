import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Claim, JobLease, JobState, JobStore, LogUpdate } from './job-state';
import { operationLogKey } from '../operation-logs/store';

/**
 * The job half of an entity store (checkpoints, restores): lease, progress
 * and final write on the item at `key`. Every write is conditional on the
 * lease it holds, so a worker that lost its lease cannot overwrite a newer one.
 */
export const dynamoJobStore = <T extends JobState>(
  doc: DynamoDBDocumentClient,
  table: () => string,
  key: (id: string) => Record<string, string>,
  fromItem: (item: Record<string, unknown>) => T,
  /** Extra updates when a job reaches `to` (e.g. a deleted checkpoint leaves the list indexes). */
  finalUpdate: (to: string) => { remove?: string[] } = () => ({}),
): JobStore<T> => {
  const failed = (error: unknown) => error instanceof ConditionalCheckFailedException;
  /** An update only the lease holder may make; false when another worker holds the lease (or none does). */
  const asHolder = async (id: string, token: string, update: string, values: Record<string, unknown>): Promise<boolean> => {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: table(),
          Key: key(id),
          ConditionExpression: 'leaseToken = :token',
          UpdateExpression: update,
          ExpressionAttributeValues: { ':token': token, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (failed(error)) return false;
      throw error;
    }
  };
  return {
    async claim(id: string, active: string, lease: JobLease): Promise<Claim<T>> {
      try {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName: table(),
            Key: key(id),
            // One worker at a time: the job must still be active and any earlier lease over.
            ConditionExpression: '#status = :active AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
            UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until, attempts = if_not_exists(attempts, :zero) + :one',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': active, ':now': lease.now, ':token': lease.token, ':until': lease.until, ':zero': 0, ':one': 1 },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { outcome: 'claimed', item: fromItem(Attributes!) };
      } catch (error) {
        if (!failed(error)) throw error;
        // Only to tell "finished" from "held": the write itself already failed safely.
        const { Item } = await doc.send(new GetCommand({ TableName: table(), Key: key(id), ConsistentRead: true }));
        if (!Item) return { outcome: 'inactive' };
        const item = fromItem(Item);
        return item.status === active ? { outcome: 'held', item, until: String(Item.leaseUntil ?? lease.now) } : { outcome: 'inactive', item };
      }
    },
    renew: (id, token, until) =>
      // Only the holder extends its lease; a worker that lost it must not take it back.
      asHolder(id, token, 'SET leaseUntil = :until', { ':until': until }),
    async setResource(id, token, resource, status, reason) {
      await doc.send(
        new UpdateCommand({
          TableName: table(),
          Key: key(id),
          // Only the lease holder records progress.
          ConditionExpression: 'leaseToken = :token',
          UpdateExpression:
            reason === undefined ? 'SET resourcesStatus.#r = :s REMOVE resourcesReason.#r' : 'SET resourcesStatus.#r = :s, resourcesReason.#r = :why',
          ExpressionAttributeNames: { '#r': resource },
          ExpressionAttributeValues: { ':token': token, ':s': status, ...(reason === undefined ? {} : { ':why': reason }) },
        }),
      );
    },
    async finish(id, token, from, to, reason, log?: LogUpdate) {
      const remove = ['leaseToken', 'leaseUntil', ...(finalUpdate(to).remove ?? [])];
      const update = {
        TableName: table(),
        Key: key(id),
        // The final status is written once, by the lease holder, from the active status.
        ConditionExpression: '#status = :from AND leaseToken = :token',
        UpdateExpression: `SET #status = :to${reason === undefined ? '' : ', errorReason = :why'} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':from': from, ':token': token, ':to': to, ...(reason === undefined ? {} : { ':why': reason }) },
      };
      try {
        if (log) {
          // The job and its operation log reach their final status together.
          await doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { Update: logUpdate(table(), log) }] }));
        } else {
          await doc.send(new UpdateCommand(update));
        }
        return true;
      } catch (error) {
        if (failed(error)) return false;
        if (error instanceof TransactionCanceledException) {
          const [job, logResult] = error.CancellationReasons ?? [];
          if (job?.Code === 'ConditionalCheckFailed') return false;
          // A missing log must not keep the job from finishing.
          if (logResult?.Code === 'ConditionalCheckFailed') return this.finish(id, token, from, to, reason);
        }
        throw error;
      }
    },
    async release(id, token, lastError) {
      // Give back only our own lease, so the retry can start at once.
      await asHolder(id, token, 'SET lastError = :e REMOVE leaseToken, leaseUntil', { ':e': lastError.slice(0, 1000) });
    },
  };
};

/** The TransactWriteItems Update of an operation log (it must exist: never a stray partial log). */
export const logUpdate = (table: string, log: LogUpdate) => {
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
