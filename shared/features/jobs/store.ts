import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActiveJob, ActiveJobIndex, JobKind } from './model';
import { ACTIVE_SHARDS } from './transact';
import { queryItems } from '../../dynamo/query';

/** The sparse index of running jobs (GSI4; its keys: ./transact.ts activeJobKeys). */
const ACTIVE_INDEX = 'GSI4' as const;

/** Every job in its active status that became so before `before` (ISO), oldest first per shard. */
export const dynamoActiveJobIndex = (doc: DynamoDBDocumentClient, table: string): ActiveJobIndex => ({
  async list(before, limit) {
    const pages = await Promise.all(
      Array.from({ length: ACTIVE_SHARDS }, (_, shard) =>
        queryItems<ActiveJob>({
          doc,
          table: table,
          index: ACTIVE_INDEX,
          pk: `JOBS_ACTIVE#${shard}`,
          between: ['0', before],
          ascending: true,
          limit,
          map: (item) => {
            const [since, kind] = String(item.GSI4SK).split('#');
            return {
              kind: kind as JobKind,
              id: String(item.id),
              projectId: String(item.projectId),
              status: String(item.status),
              since,
              ...(typeof item.leaseToken === 'string' ? { leaseToken: item.leaseToken } : {}),
              ...(typeof item.leaseUntil === 'string' ? { leaseUntil: item.leaseUntil } : {}),
            };
          },
        }),
      ),
    );
    return pages.flatMap((p) => p.items).slice(0, limit);
  },
});
