import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryItems } from './query';
import type { RecordQuery } from '../kernel/records';

/**
 * The list access patterns of records kept by creation time (restores,
 * verifications):
 * - a project's, by creation time:      Query GSI1 PK=<projectPK> SK=<ISO time>#<id>
 * - every project's (admin all_tenants): Query GSI2 PK=<allPK>     SK=<ISO time>#<id>
 * Filters (status, admin columns) are exact-match FilterExpressions on those
 * queries; a marker resumes after its item (shared/dynamo/query.ts).
 */
export interface TimeIndex<T> {
  /** The item's table key (a marker resumes after the item). */
  key: (item: T) => Record<string, string>;
  projectPK: (projectId: string) => string;
  allPK: string;
  timeSK: (item: T) => string;
  /** Query filters name these attributes; other filter keys are ignored. */
  filterAttrs: Record<string, string>;
  fromItem: (item: Record<string, unknown>) => T;
}

/** The index attributes that put an item in both lists. */
export const timeIndexKeys = <T extends { projectId: string }>(index: TimeIndex<T>, item: T) => ({
  GSI1PK: index.projectPK(item.projectId),
  GSI1SK: index.timeSK(item),
  GSI2PK: index.allPK,
  GSI2SK: index.timeSK(item),
});

export const queryTimeIndex = async <T extends { projectId: string }>(
  doc: DynamoDBDocumentClient,
  table: string,
  index: TimeIndex<T>,
  q: RecordQuery<T>,
): Promise<T[]> => {
  const all = q.projectId === undefined;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  Object.entries(q.filters).forEach(([key, options], i) => {
    const attr = index.filterAttrs[key];
    if (!attr) return;
    names[`#f${i}`] = attr;
    filters.push(
      `#f${i} IN (${options
        .map((v, j) => {
          values[`:f${i}_${j}`] = v;
          return `:f${i}_${j}`;
        })
        .join(', ')})`,
    );
  });
  const page = await queryItems({
    doc,
    table,
    index: all ? 'GSI2' : 'GSI1',
    pk: all ? index.allPK : index.projectPK(q.projectId!),
    ascending: q.dir === 'asc',
    after: q.after ? { ...index.key(q.after), ...timeIndexKeys(index, q.after) } : undefined,
    limit: q.limit,
    ...(filters.length > 0 ? { filter: { expression: filters.join(' AND '), names, values } } : {}),
    map: index.fromItem,
  });
  return page.items;
};
