import { shardOf } from '../../dynamo/shard';
import { TABLE } from '../../dynamo/table';

/**
 * The overview's figures (docs/decisions.md §23), written by the final
 * transaction of every job (shared/features/jobs/transact.ts `finish`), never
 * by a job of their own:
 * - a daily counter per project and one for all projects:
 *     PK = PROJECT#<project> | OVERVIEW#ALL   SK = JOB_COUNT#<yyyy-mm-dd>#<shard>
 *   one number attribute per kind and outcome (`protect_success`, `restore_error`, ...)
 *   and one per hour and outcome (`h13_success`), expiring by the table's TTL COUNTER_DAYS after its day;
 *   the all-projects one also holds `projects`, the string set of the projects whose jobs ended that day;
 * - the bank's size per project and for all projects, what protects wrote less what deletes removed:
 *     PK = PROJECT#<project> | OVERVIEW#ALL   SK = BANK_BYTES#<shard>   bytes (number)
 * Each is spread over SHARDS items by the job's id, so that jobs of one
 * fan-out finishing together rarely update the same item in concurrent
 * transactions (DynamoDB cancels one of two with TransactionConflict); the
 * overview reads the shards back with one Query a scope.
 */

export const JOB_KINDS = ['protect', 'copy', 'restore', 'verify', 'delete'] as const;
export type JobKindCounted = (typeof JOB_KINDS)[number];
export const JOB_OUTCOMES = ['success', 'error'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/** What a job's final write counts: its kind, its outcome and the bytes it added to the bank (negative: removed), when known. */
export interface JobCount {
  kind: JobKindCounted;
  outcome: JobOutcome;
  bytes?: number;
}

export const SHARDS = 8;
/** The attribute of the all-projects day counter naming the projects whose jobs ended that day. */
export const DAY_PROJECTS = 'projects';
/** Days a daily counter stays (the overview shows 30). */
export const COUNTER_DAYS = 40;
const ENTITY = 'overview-counter';

export const projectScope = (projectId: string): string => `PROJECT#${projectId}`;
export const ALL_SCOPE = 'OVERVIEW#ALL';
export const COUNTER_PREFIX = 'JOB_COUNT#';
export const BANK_PREFIX = 'BANK_BYTES#';
export const counterSk = (day: string, shard: number): string => `${COUNTER_PREFIX}${day}#${shard}`;
export const counterAttribute = (kind: JobKindCounted, outcome: JobOutcome): string => `${kind}_${outcome}`;
/** The jobs of one hour (UTC, `00`-`23`) of the day by outcome, whatever their kind: the overview's last 24 hours. */
export const hourAttribute = (hour: string, outcome: JobOutcome): string => `h${hour}_${outcome}`;

/**
 * The TransactWriteItems entries that count a job finished at `at` (ISO):
 * an ADD on its day's counter of its project and of all projects, and, when
 * it changed the bank by known bytes, an ADD on their bank sizes.
 */
export const jobCountUpdates = (table: string, job: { id: string; projectId: string; at: string }, count: JobCount) => {
  const day = job.at.slice(0, 10);
  const shard = shardOf(job.id, SHARDS);
  const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + COUNTER_DAYS * 86_400;
  const scopes = [projectScope(job.projectId), ALL_SCOPE];
  // The all-projects item also names the day's projects (`projects`, a string set): the daily reports' list (docs/decisions.md §22).
  const counters = scopes.map((pk) => ({
    Update: {
      TableName: table,
      Key: { PK: pk, SK: counterSk(day, shard) },
      UpdateExpression: `ADD #count :one, #hour :one${pk === ALL_SCOPE ? ', #projects :project' : ''} SET entity = :entity, schemaVersion = :v, #day = :day, #ttl = :ttl`,
      ExpressionAttributeNames: {
        '#count': counterAttribute(count.kind, count.outcome),
        '#hour': hourAttribute(job.at.slice(11, 13), count.outcome),
        '#day': 'day',
        '#ttl': TABLE.ttlAttribute,
        ...(pk === ALL_SCOPE ? { '#projects': DAY_PROJECTS } : {}),
      },
      ExpressionAttributeValues: {
        ':one': 1,
        ':entity': ENTITY,
        ':v': 1,
        ':day': day,
        ':ttl': expiresAt,
        ...(pk === ALL_SCOPE ? { ':project': new Set([job.projectId]) } : {}),
      },
    },
  }));
  const bank =
    count.bytes === undefined || count.bytes === 0
      ? []
      : scopes.map((pk) => ({
          Update: {
            TableName: table,
            Key: { PK: pk, SK: `${BANK_PREFIX}${shard}` },
            UpdateExpression: 'ADD #bytes :bytes SET entity = :entity, schemaVersion = :v',
            ExpressionAttributeNames: { '#bytes': 'bytes' },
            ExpressionAttributeValues: { ':bytes': count.bytes, ':entity': ENTITY, ':v': 1 },
          },
        }));
  return [...counters, ...bank];
};
