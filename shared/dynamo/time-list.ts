import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError, NotFoundError } from '../kernel/errors';
import { isUuidLike } from '../kernel/uuid';
import { type ItemFilter, type ItemPage, queryItems } from './query';
import type { IndexName } from './table';

type Item = Record<string, unknown>;

/**
 * The one listing dialect: every list by time (a project's, every project's,
 * a plan's, a provider's) is a Query of one *place* on an index, whose sort
 * keys are `<prefix><time>#<id>`. Each store names its places as they are
 * stored today (INDEX_MAP in ./table.ts says what each index holds); this
 * module builds the index attributes, the key conditions, the marker's start
 * key, and the bounded in-memory sorts for orders no index holds.
 *
 * Markers are ids (clients hold them); a list resumes after the marker's
 * item, whatever its order (./query.ts).
 */
export interface TimePlace {
  index: IndexName;
  /** The partition (`<index>PK`). */
  pk: string;
  /** A prefix ending in `#` that makes the place one SK range of a shared partition (e.g. `projectDigest`). */
  prefix?: string;
}

/** Where an item is listed: the time it sorts by and its id. */
export interface TimePosition {
  time: string;
  id: string;
}

/**
 * Items of every project on one partition, a project's one SK range of it
 * (plans, scheduled operations: docs/decisions.md §16, §17): the range starts
 * with a digest of the project id of fixed width (22 base64url characters,
 * 132 bits), so no project's range holds another's and any project id fits
 * the key.
 */
export const projectDigest = (projectId: string) => `${createHash('sha256').update(projectId).digest('base64url').slice(0, 22)}#`;

/** The index attributes that list an item at `place`. */
export const placeKeys = (place: TimePlace, at: TimePosition): Record<string, string> => ({
  [`${place.index}PK`]: place.pk,
  [`${place.index}SK`]: `${place.prefix ?? ''}${at.time}#${at.id}`,
});

/**
 * The inclusive SK bounds of a place between two times (a `YYYY-MM-DD` bound
 * selects whole days), or undefined when the place is a whole partition read
 * unbounded. A prefix's whole range ends at `<prefix minus #>$` ('$' follows
 * '#' and is no base64url character).
 */
export const placeRange = (place: TimePlace, from?: string, to?: string): [string, string] | undefined => {
  const prefix = place.prefix ?? '';
  if (prefix === '' && from === undefined && to === undefined) return undefined;
  const lo = from !== undefined ? `${prefix}${from}` : prefix || '0';
  const hi = to !== undefined ? `${prefix}${to}~` : prefix ? `${prefix.slice(0, -1)}$` : '~';
  return [lo, hi];
};

/** What an entity's store tells the listing about its items. */
export interface TimeItems<T> {
  /** The table key of an id. */
  key: (id: string) => Record<string, string>;
  map: (item: Item) => T;
  /** The time and id an item is listed by. */
  position: (item: T) => TimePosition;
}

/** One read of a place in time order. */
export interface TimeRead<T> {
  ascending: boolean;
  /** Resume after this item (the marker). */
  after?: T;
  /** Items wanted (after filters and `offset`); Infinity reads the whole place. */
  limit: number;
  offset?: number;
  /** Inclusive time bounds. */
  from?: string;
  to?: string;
  filter?: ItemFilter;
  keep?: (item: T) => boolean;
  budget?: number;
}

/** Up to `r.limit` items of `place` in time order after the marker, within the time bounds. */
export const readPlace = async <T>(doc: DynamoDBDocumentClient, table: string, items: TimeItems<T>, place: TimePlace, r: TimeRead<T>): Promise<ItemPage<T>> => {
  const between = placeRange(place, r.from, r.to);
  let after: Item | undefined;
  if (r.after !== undefined) {
    const at = items.position(r.after);
    const start = placeKeys(place, at);
    const sk = start[`${place.index}SK`];
    // A marker beyond the bounds leaves nothing after it; one before them, all of them.
    if (between && (r.ascending ? sk >= between[1] : sk <= between[0])) return { items: [] };
    if (!between || (sk >= between[0] && sk <= between[1])) after = { ...items.key(at.id), ...start };
  }
  return queryItems({
    doc,
    table,
    index: place.index,
    pk: place.pk,
    between,
    ascending: r.ascending,
    after,
    limit: r.limit,
    offset: r.offset,
    filter: r.filter,
    keep: r.keep,
    budget: r.budget,
    map: items.map,
  });
};

/**
 * Every item of `place` (with the filters), unsorted, or undefined when there
 * are more than `cap`: what an order no index holds sorts in memory.
 */
export const readCapped = async <T>(
  doc: DynamoDBDocumentClient,
  table: string,
  items: TimeItems<T>,
  place: TimePlace,
  cap: number,
  r: Pick<TimeRead<T>, 'filter' | 'keep'> = {},
): Promise<T[] | undefined> => {
  const page = await readPlace(doc, table, items, place, { ...r, ascending: true, limit: Infinity, budget: cap + 1 });
  return page.stoppedAt !== undefined || page.items.length > cap ? undefined : page.items;
};

/**
 * A page of `all` in the order of `value` (compared as UTF-8 bytes, as the
 * index keys compare), after the marker's value, then offset and limit.
 */
export const sortedPage = <T>(all: T[], value: (item: T) => string, ascending: boolean, o: { after?: T; offset?: number; limit: number }): T[] => {
  const dir = ascending ? 1 : -1;
  const at = (item: T) => Buffer.from(value(item));
  const sorted = all.map((item) => ({ item, at: at(item) })).sort((a, b) => dir * Buffer.compare(a.at, b.at));
  const from = o.after === undefined ? undefined : at(o.after);
  const rest = from === undefined ? sorted : sorted.filter((s) => dir * Buffer.compare(s.at, from) > 0);
  const offset = o.offset ?? 0;
  return rest.slice(offset, offset + o.limit).map((s) => s.item);
};

/** Pages of several places merged into one in time order (then id), cut at `limit`. */
export const mergeByTime = <T>(items: TimeItems<T>, pages: T[][], ascending: boolean, limit: number): T[] =>
  sortedPage(
    pages.flat(),
    (item) => {
      const at = items.position(item);
      return `${at.time}#${at.id}`;
    },
    ascending,
    { limit },
  );

/** Exact-match filters (`attribute IN (...)`) as one FilterExpression; undefined when there are none. */
export const anyOf = (filters: [attribute: string, values: readonly unknown[]][]): ItemFilter | undefined => {
  if (filters.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const expression = filters
    .map(([attribute, options], i) => {
      names[`#f${i}`] = attribute;
      const placeholders = options.map((v, j) => {
        values[`:f${i}_${j}`] = v;
        return `:f${i}_${j}`;
      });
      return `#f${i} IN (${placeholders.join(', ')})`;
    })
    .join(' AND ');
  return { expression, names, values };
};

/** A record list's filters (API names, e.g. `provider_id`) on the attributes `attributes` names; other filter keys are ignored. */
export const recordFilter = (filters: Record<string, string[]>, attributes: Record<string, string>): ItemFilter | undefined =>
  anyOf(Object.entries(filters).flatMap(([key, values]): [string, string[]][] => (attributes[key] ? [[attributes[key], values]] : [])));

/**
 * An entity listed per project and for every project (admin all_tenants),
 * by time. Two layouts exist, both kept as stored:
 * - two partitions: a project's (`project`) and every project's (`all`);
 * - one partition holding every project's range (`all: { sorted, cap }`): a
 *   project's list pages straight from its range, every project's list reads
 *   the partition (at most `cap` items) and sorts it in memory.
 */
export interface ProjectTimeLayout<T> extends TimeItems<T> {
  project: (projectId: string) => TimePlace;
  all: TimePlace | { sorted: TimePlace; cap: number; tooMany: string };
}

export interface ProjectTimeQuery<T> extends Omit<TimeRead<T>, 'from' | 'to'> {
  /** undefined: every project. */
  projectId?: string;
}

export const projectTimeList = <T>(layout: ProjectTimeLayout<T>) => {
  const sortedAll = 'sorted' in layout.all ? layout.all : undefined;
  return {
    layout,
    /** The index attributes that put an item in its lists. */
    indexKeys: (projectId: string, at: TimePosition): Record<string, string> => ({
      ...placeKeys(layout.project(projectId), at),
      ...('sorted' in layout.all ? {} : placeKeys(layout.all, at)),
    }),
    /** A page in time order; every project's list of a one-partition layout past its cap is InvalidInputError(`tooMany`) (a 400). */
    async page(doc: DynamoDBDocumentClient, table: string, q: ProjectTimeQuery<T>): Promise<ItemPage<T>> {
      if (q.projectId !== undefined) return readPlace(doc, table, layout, layout.project(q.projectId), q);
      if (!sortedAll) return readPlace(doc, table, layout, layout.all as TimePlace, q);
      const all = await readCapped(doc, table, layout, sortedAll.sorted, sortedAll.cap, q);
      if (all === undefined) throw new InvalidInputError(sortedAll.tooMany);
      const position = (item: T) => {
        const at = layout.position(item);
        return `${at.time}#${at.id}`;
      };
      return { items: sortedPage(all, position, q.ascending, q) };
    },
  };
};

/**
 * The item a marker names, read by `get`: a uuid (any other marker names
 * nothing, and one beyond DynamoDB's key size would fail the read with a 500),
 * known, and in a project's list that project's. Otherwise NotFoundError
 * (a deliberate difference: Karbor answers an unknown marker with a 500,
 * docs/decisions.md §5).
 */
export const markerItem = async <T extends { projectId: string }>(
  marker: string | undefined,
  projectId: string | undefined,
  get: (id: string) => Promise<T | undefined>,
  notFound: (id: string) => string,
): Promise<T | undefined> => {
  if (marker === undefined) return undefined;
  const item = isUuidLike(marker) ? await get(marker) : undefined;
  if (!item || (projectId !== undefined && item.projectId !== projectId)) throw new NotFoundError(notFound(marker));
  return item;
};

/** Most items the `name`/`id` in-memory sort reads (a project's triggers or operations are few). */
const NAME_OR_ID_CAP = 10000;

/**
 * A `name` or `id` ordered page of items listed by time (triggers, scheduled
 * operations): every match read in time order through `read`, then sorted
 * with created_at and id as tiebreakers in the same direction (Karbor's
 * paginate_query), then cut after the marker. Undefined for any other sort
 * key (the index order serves it); an unknown marker is
 * NotFoundError(`notFound(marker)`).
 */
export const nameOrIdPage = async <T extends { id: string; name: string; createdAt: string }>(
  q: { sortKey?: string; marker?: string; ascending: boolean; limit: number },
  read: (all: { limit: number }) => Promise<T[]>,
  notFound: (id: string) => string,
): Promise<T[] | undefined> => {
  if (q.sortKey !== 'name' && q.sortKey !== 'id') return undefined;
  const key = q.sortKey;
  const all = await read({ limit: NAME_OR_ID_CAP });
  const dir = q.ascending ? 1 : -1;
  const sorted = [...all].sort((a, b) => {
    for (const [x, y] of [
      [key === 'name' ? a.name : a.id, key === 'name' ? b.name : b.id],
      [a.createdAt, b.createdAt],
      [a.id, b.id],
    ]) {
      if (x !== y) return x < y ? -dir : dir;
    }
    return 0;
  });
  let start = 0;
  if (q.marker !== undefined) {
    const at = sorted.findIndex((i) => i.id === q.marker);
    if (at < 0) throw new NotFoundError(notFound(q.marker));
    start = at + 1;
  }
  return sorted.slice(start, start + q.limit);
};
