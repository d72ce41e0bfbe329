import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActiveJob, ActiveJobIndex, JobKind } from './model';
import { ACTIVE_SHARDS, jobKey } from './transact';
import { queryItems } from '../../dynamo/query';
import { batchGetItems } from '../../dynamo/batch-get';

/** The sparse index of running jobs (GSI4; its keys: ./transact.ts activeJobKeys). */
const ACTIVE_INDEX = 'GSI4' as const;

type Item = Record<string, unknown>;

/**
 * Every job in its active status that became so before `before` (ISO), oldest first per shard. The index holds the
 * entities; their leases are on their job items (./transact.ts jobKey), read with one BatchGetItem. An entity of the
 * layout before docs/decisions.md §18 (a job in flight during the upgrade) still holds its own lease.
 */
export const dynamoActiveJobIndex = (doc: DynamoDBDocumentClient, table: string): ActiveJobIndex => ({
  async list(before, limit) {
    const pages = await Promise.all(
      Array.from({ length: ACTIVE_SHARDS }, (_, shard) =>
        queryItems<Item>({
          doc,
          table: table,
          index: ACTIVE_INDEX,
          pk: `JOBS_ACTIVE#${shard}`,
          between: ['0', before],
          ascending: true,
          limit,
          map: (item) => item,
        }),
      ),
    );
    const entities = pages.flatMap((p) => p.items).slice(0, limit);
    const keyOf = (item: Item) => ({ PK: String(item.PK), SK: String(item.SK) });
    const jobs = new Map(
      (entities.length === 0
        ? []
        : await batchGetItems(
            doc,
            table,
            entities.map((e) => jobKey(keyOf(e))),
            (j) => j,
          )
      ).map((j) => [String(j.PK), j]),
    );
    return entities.map((item): ActiveJob => {
      const [since, kind] = String(item.GSI4SK).split('#');
      const job = jobs.get(String(item.PK));
      const lease = job !== undefined && job.phase === item.status ? job : item;
      return {
        kind: kind as JobKind,
        id: String(item.id),
        projectId: String(item.projectId),
        status: String(item.status),
        since,
        ...(typeof lease.leaseToken === 'string' ? { leaseToken: lease.leaseToken } : {}),
        ...(typeof lease.leaseUntil === 'string' ? { leaseUntil: lease.leaseUntil } : {}),
      };
    });
  },
});
