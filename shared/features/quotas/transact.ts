import type { QuotaResource } from './model';

/**
 * Quota usage counters: one item per (project, quota resource), Karbor's
 * `quota_usages` row without reservations. A counter changes only inside the
 * transaction that creates or deletes what it counts (docs/decisions.md §12), so it
 * cannot drift the way Karbor's `in_use` does (docs/contract.md §13.2 #29).
 *
 * Access patterns:
 * - a project's usage of one resource (conditional ADD on create/delete, read for quota detail):
 *   GetItem / UpdateItem PK=PROJECT#<p> SK=QUOTA_USAGE#<resource>
 * - every usage counter of a project: Query PK=PROJECT#<p> SK begins_with QUOTA_USAGE#
 *
 * Attributes: `project_id`, `resource`, `in_use` (number).
 */
const QUOTA_USAGE_ENTITY = 'quota-usage';
const QUOTA_USAGE_SCHEMA_VERSION = 1;
/** Sort-key prefix of a project's usage counters. */
export const QUOTA_USAGE_PREFIX = 'QUOTA_USAGE#';

export const quotaUsageKey = (projectId: string, resource: QuotaResource) => ({
  PK: `PROJECT#${projectId}`,
  SK: `${QUOTA_USAGE_PREFIX}${resource}`,
});

/**
 * The TransactWriteItems entry that changes a usage counter by `delta`. With a
 * `limit` >= 0 and a positive delta it only succeeds while `in_use + delta <= limit`
 * (Karbor's "limit < in_use + delta" over-quota test), so the create that
 * carries it fails as a whole when the project is full.
 */
export const quotaUsageUpdate = (tableName: string, projectId: string, resource: QuotaResource, delta: number, limit?: number) => {
  const guarded = limit !== undefined && limit >= 0 && delta > 0;
  return {
    Update: {
      TableName: tableName,
      Key: quotaUsageKey(projectId, resource),
      UpdateExpression: 'SET entity = :entity, schemaVersion = :sv, project_id = :project, #resource = :resource ADD in_use :delta',
      ...(guarded
        ? {
            // Over quota when the counter would pass the limit; a missing counter is 0.
            ConditionExpression: '(attribute_not_exists(in_use) AND :zero <= :maxBefore) OR in_use <= :maxBefore',
          }
        : {}),
      ExpressionAttributeNames: { '#resource': 'resource' },
      ExpressionAttributeValues: {
        ':entity': QUOTA_USAGE_ENTITY,
        ':sv': QUOTA_USAGE_SCHEMA_VERSION,
        ':project': projectId,
        ':resource': resource,
        ':delta': delta,
        ...(guarded ? { ':maxBefore': (limit as number) - delta, ':zero': 0 } : {}),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
};
