import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

export interface PageQuery<T> {
  doc: DynamoDBDocumentClient;
  table: string;
  index: string;
  /** Partition key attribute and value of the index. */
  pk: [string, string];
  /** Sort key attribute name of the index (for the start key). */
  skName: string;
  ascending: boolean;
  /** Resume after this stored item (the marker's item). */
  after?: Item;
  limit: number;
  /** In-memory filter (regex filters cannot be a FilterExpression). */
  keep?: (item: T) => boolean;
  map: (item: Item) => T;
}

/**
 * One page of a list: Query with Limit, repeated while a filter leaves the
 * page short. Never a Scan.
 */
export const queryPage = async <T>(q: PageQuery<T>): Promise<T[]> => {
  const out: T[] = [];
  let startKey: Item | undefined = q.after
    ? { PK: q.after.PK, SK: q.after.SK, [q.pk[0]]: q.after[q.pk[0]], [q.skName]: q.after[q.skName] }
    : undefined;
  do {
    const res = await q.doc.send(
      new QueryCommand({
        TableName: q.table,
        IndexName: q.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': q.pk[0] },
        ExpressionAttributeValues: { ':pk': q.pk[1] },
        ScanIndexForward: q.ascending,
        ExclusiveStartKey: startKey,
        Limit: Math.min(1000, q.keep ? Math.max(q.limit - out.length, 100) : q.limit - out.length),
      }),
    );
    for (const raw of res.Items ?? []) {
      const item = q.map(raw);
      if (q.keep && !q.keep(item)) continue;
      out.push(item);
      if (out.length >= q.limit) return out;
    }
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return out;
};

/** Karbor's regex filter: unanchored search; an invalid expression matches literally. */
export const regexMatch = (pattern: string, value: string): boolean => {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return value.includes(pattern);
  }
};

/** Most items an in-memory sort reads (a project's triggers or operations are few). */
export const IN_MEMORY_SORT_CAP = 10000;

/**
 * A page in an order no index holds (sort by name, id, status): the matching
 * items are read with Query pages, sorted with created_at and id as
 * tiebreakers in the same direction (Karbor's paginate_query), then cut after
 * the marker. Unknown marker: undefined.
 */
export const sortedPage = <T extends { id: string }>(
  items: T[],
  key: (item: T) => string,
  createdAt: (item: T) => string,
  ascending: boolean,
  marker: string | undefined,
  limit: number,
): T[] | undefined => {
  const dir = ascending ? 1 : -1;
  const sorted = [...items].sort((a, b) => {
    for (const [x, y] of [[key(a), key(b)], [createdAt(a), createdAt(b)], [a.id, b.id]]) {
      if (x !== y) return x < y ? -dir : dir;
    }
    return 0;
  });
  let start = 0;
  if (marker !== undefined) {
    const at = sorted.findIndex((i) => i.id === marker);
    if (at < 0) return undefined;
    start = at + 1;
  }
  return sorted.slice(start, start + limit);
};
