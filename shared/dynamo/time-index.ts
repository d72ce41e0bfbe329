import { DynamoDBDocumentClient, QueryCommand, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { RecordQuery } from '../kernel/records';

/**
 * The list access patterns of records kept by creation time (restores,
 * verifications):
 * - a project's, by creation time:      Query GSI1 PK=<projectPK> SK=<ISO time>#<id>
 * - every project's (admin all_tenants): Query GSI2 PK=<allPK>     SK=<ISO time>#<id>
 * Filters (status, admin columns) are exact-match FilterExpressions on those
 * queries; pages are read with Limit until the requested count is reached.
 */
export interface TimeIndex<T> {
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

/** Items read per Query page when a filter may drop some. */
const PAGE = 100;

export const queryTimeIndex = async <T>(doc: DynamoDBDocumentClient, table: string, index: TimeIndex<T>, q: RecordQuery<T>): Promise<T[]> => {
  const name = q.projectId === undefined ? 'GSI2' : 'GSI1';
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': q.projectId === undefined ? index.allPK : index.projectPK(q.projectId) };
  const filters: string[] = [];
  Object.entries(q.filters).forEach(([key, options], i) => {
    const attr = index.filterAttrs[key];
    if (!attr) return;
    names[`#f${i}`] = attr;
    filters.push(`#f${i} IN (${options.map((v, j) => { values[`:f${i}_${j}`] = v; return `:f${i}_${j}`; }).join(', ')})`);
  });
  let condition = `${name}PK = :pk`;
  if (q.after) {
    values[':marker'] = index.timeSK(q.after);
    condition += ` AND ${name}SK ${q.dir === 'asc' ? '>' : '<'} :marker`;
  }
  const out: T[] = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page: QueryCommandOutput = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: name,
        KeyConditionExpression: condition,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: q.dir === 'asc',
        Limit: filters.length > 0 ? PAGE : q.limit - out.length,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(page.Items ?? []).map(index.fromItem));
    start = page.LastEvaluatedKey;
  } while (start && out.length < q.limit);
  return out.slice(0, q.limit);
};
