import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { IndexName } from './table';
import { jsonLog } from '../observability/log';

type Item = Record<string, unknown>;

/** Most items one Query page returns (DynamoDB also stops a page at 1 MB). */
const MAX_PAGE = 1000;
/** Items read per page when filters may drop some. */
const FILTERED_PAGE = 100;

/**
 * One list read on one index partition: every list of the API goes through
 * here, so there is one way to page and one marker strategy.
 *
 * The marker strategy: a list resumes *after an item*. `after` carries that
 * item's table key and its key on the index (the marker's stored item, or
 * keys rebuilt from it), and becomes the Query's ExclusiveStartKey, so the
 * next item in index order comes first, whatever the sort.
 */
/** A FilterExpression on stored attributes; DynamoDB applies it after Limit, so pages then read more. */
export interface ItemFilter {
  expression: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

interface ItemQuery<T> {
  doc: DynamoDBDocumentClient;
  table: string;
  index: IndexName;
  /** The partition (`<index>PK`) to read. */
  pk: string;
  /** An inclusive sort key range (`<index>SK BETWEEN`), e.g. a date filter. */
  between?: [string, string];
  ascending: boolean;
  /** Resume after this item: its PK, SK and `<index>PK`, `<index>SK`. */
  after?: Item;
  /** Items wanted (after filters and `offset`); Infinity reads the whole partition. */
  limit: number;
  /** Matching items skipped before the page starts. */
  offset?: number;
  filter?: ItemFilter;
  /** An in-memory test (a regex filter cannot be a FilterExpression). */
  keep?: (item: T) => boolean;
  /** Most items to read: a filtered page that meets it stops short (see `stoppedAt`). */
  budget?: number;
  map: (item: Item) => T;
}

export interface ItemPage<T> {
  items: T[];
  /** Set when the budget ran out first: the key of the last item read, to resume after. */
  stoppedAt?: Item;
}

/** The ExclusiveStartKey that resumes a Query on `index` after `item`. */
const startAfter = (item: Item, index: IndexName): Item => ({
  PK: item.PK,
  SK: item.SK,
  [`${index}PK`]: item[`${index}PK`],
  [`${index}SK`]: item[`${index}SK`],
});

const UNREADABLE = Symbol('unreadable');

/**
 * An item its mapper cannot read (written by an older version, or broken) is
 * skipped, not allowed to fail the whole page with a 500. Its key is logged,
 * never its content (it may hold whatever a caller stored).
 */
const readable = <T>(map: (item: Item) => T, raw: Item): T | typeof UNREADABLE => {
  try {
    return map(raw);
  } catch (error) {
    jsonLog({ level: 'ERROR', message: 'unreadable item skipped', PK: raw.PK, SK: raw.SK, error: error instanceof Error ? error.name : 'unknown' });
    return UNREADABLE;
  }
};

/** Reads pages with `@aws-sdk/lib-dynamodb`'s paginator until the page is full, the partition ends or the budget is spent. */
export const queryItems = async <T>(q: ItemQuery<T>): Promise<ItemPage<T>> => {
  if (q.limit <= 0) return { items: [] };
  const offset = q.offset ?? 0;
  const filtered = q.filter !== undefined || q.keep !== undefined;
  const wanted = q.limit + offset;
  const input: QueryCommandInput = {
    TableName: q.table,
    IndexName: q.index,
    KeyConditionExpression: `#pk = :pk${q.between ? ' AND #sk BETWEEN :lo AND :hi' : ''}`,
    ExpressionAttributeNames: { '#pk': `${q.index}PK`, ...(q.between ? { '#sk': `${q.index}SK` } : {}), ...q.filter?.names },
    ExpressionAttributeValues: { ':pk': q.pk, ...(q.between ? { ':lo': q.between[0], ':hi': q.between[1] } : {}), ...q.filter?.values },
    ...(q.filter ? { FilterExpression: q.filter.expression } : {}),
    ScanIndexForward: q.ascending,
    ...(q.after ? { ExclusiveStartKey: startAfter(q.after, q.index) } : {}),
  };
  // Unfiltered, one page of exactly what is wanted; filtered, steps of at least FILTERED_PAGE; unbounded, steps of the budget.
  const pageSize = Math.min(
    MAX_PAGE,
    !Number.isFinite(wanted) ? Math.max(q.budget ?? 0, FILTERED_PAGE) : filtered ? Math.max(wanted, FILTERED_PAGE) : Math.max(wanted, 1),
  );
  const items: T[] = [];
  let skipped = 0;
  let read = 0;
  for await (const page of paginateQuery({ client: q.doc, pageSize }, input)) {
    read += page.ScannedCount ?? 0;
    for (const raw of page.Items ?? []) {
      const item = readable(q.map, raw);
      if (item === UNREADABLE || (q.keep && !q.keep(item))) continue;
      if (skipped < offset) {
        skipped += 1;
        continue;
      }
      items.push(item);
      if (items.length >= q.limit) return { items };
    }
    if (page.LastEvaluatedKey && q.budget !== undefined && read >= q.budget) return { items, stoppedAt: page.LastEvaluatedKey };
  }
  return { items };
};
