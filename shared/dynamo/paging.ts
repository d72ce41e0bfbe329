import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../kernel/errors';
import type { StoreListQuery } from '../kernel/list-options';
import { isUuidLike } from '../kernel/uuid';
import { queryItems } from './query';

type Item = Record<string, unknown>;

/** Most items an in-memory sort reads (a project's triggers or operations are few). */
const IN_MEMORY_SORT_CAP = 10000;

/**
 * A page in an order no index holds (sort by name, id, status): the matching
 * items are read with Query pages, sorted with created_at and id as
 * tiebreakers in the same direction (Karbor's paginate_query), then cut after
 * the marker. Unknown marker: undefined.
 */
const sortedPage = <T extends { id: string }>(
  items: T[],
  key: (item: T) => string,
  createdAt: (item: T) => string,
  ascending: boolean,
  marker: string | undefined,
  limit: number,
): T[] | undefined => {
  const dir = ascending ? 1 : -1;
  const sorted = [...items].sort((a, b) => {
    for (const [x, y] of [
      [key(a), key(b)],
      [createdAt(a), createdAt(b)],
      [a.id, b.id],
    ]) {
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

/**
 * A `name` or `id` ordered page of items listed by created_at (triggers,
 * scheduled operations): every match read in index order through `read`,
 * then sorted in memory. Undefined for any other sort key (the index order
 * serves it); an unknown marker is NotFoundError(`notFound(marker)`).
 */
export const nameOrIdPage = async <T extends { id: string; name: string; createdAt: string }>(
  q: StoreListQuery<T>,
  read: (q: StoreListQuery<T>) => Promise<T[]>,
  notFound: (id: string) => string,
): Promise<T[] | undefined> => {
  if (q.sortKey !== 'name' && q.sortKey !== 'id') return undefined;
  const key = q.sortKey;
  const all = await read({ ...q, sortKey: undefined, marker: undefined, limit: IN_MEMORY_SORT_CAP });
  const page = sortedPage(
    all,
    (i) => (key === 'name' ? i.name : i.id),
    (i) => i.createdAt,
    q.ascending,
    q.marker,
    q.limit,
  );
  if (!page) throw new NotFoundError(notFound(q.marker!));
  return page;
};

/**
 * The two list indexes of an entity listed per project, both sorted by
 * `<time>#<id>`:
 * - a project's items: Query GSI1 PK=<prefix>#PROJECT#<p>
 * - every project's (admin all_tenants): Query GSI2 PK=<prefix>
 */
export const projectListing = <T>(o: {
  prefix: string;
  /** The item key of an id (markers are ids). */
  key: (id: string) => Record<string, string>;
  map: (item: Item) => T;
  /** The NotFoundError text of an unknown marker. */
  notFound: (id: string) => string;
}) => {
  const projectPk = (projectId: string) => `${o.prefix}#PROJECT#${projectId}`;
  return {
    notFound: o.notFound,
    /** The index attributes of an item of `projectId` listed at `time`. */
    indexKeys: (projectId: string, time: string, id: string) => ({
      GSI1PK: projectPk(projectId),
      GSI1SK: `${time}#${id}`,
      GSI2PK: o.prefix,
      GSI2SK: `${time}#${id}`,
    }),
    /**
     * Up to `limit` items in index order after the marker, which must exist
     * and, in a project's list, be that project's.
     */
    async page(doc: DynamoDBDocumentClient, table: string, q: Omit<StoreListQuery<T>, 'sortKey'>): Promise<T[]> {
      let after: Item | undefined;
      if (q.marker !== undefined) {
        // Ids are uuids: any other marker names nothing, and one beyond DynamoDB's key size would fail the read (a 500).
        if (!isUuidLike(q.marker)) throw new NotFoundError(o.notFound(q.marker));
        const marker = await doc.send(new GetCommand({ TableName: table, Key: o.key(q.marker) }));
        // Deliberate difference: Karbor answers an unknown marker with a 500 (docs/decisions.md §5).
        if (!marker.Item || (q.projectId !== undefined && marker.Item.projectId !== q.projectId)) {
          throw new NotFoundError(o.notFound(q.marker));
        }
        after = marker.Item;
      }
      const all = q.projectId === undefined;
      const page = await queryItems({
        doc,
        table,
        index: all ? 'GSI2' : 'GSI1',
        pk: all ? o.prefix : projectPk(q.projectId!),
        ascending: q.ascending,
        after,
        limit: q.limit,
        keep: q.keep,
        map: o.map,
      });
      return page.items;
    },
  };
};
