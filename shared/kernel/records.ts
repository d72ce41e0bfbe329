import type { Identity } from './identity';
import { InvalidInputError, NotFoundError } from './errors';
import type { ListOptions } from './list-options';
import { isUuidLike } from './uuid';

/**
 * Show and list of the per-project records of the protection API (restores,
 * verifications): Karbor answers both the same way, with the record's name.
 */

/** A list request to a record store. */
export interface RecordQuery<T> {
  /** undefined: every project (admin all_tenants). */
  projectId?: string;
  filters: Record<string, string[]>;
  dir: 'asc' | 'desc';
  /** limit + offset items are needed. */
  limit: number;
  after?: T;
}

interface RecordStore<T> {
  get(id: string): Promise<T | undefined>;
  list(q: RecordQuery<T>): Promise<T[]>;
}

/** How Karbor names the record in its messages: `Invalid <idName> id provided.`, `<name> <id> could not be found.` */
export interface RecordNames {
  idName: string;
  name: string;
}

/** Shows a record: uuid-like id (400), known and (for a member) its own (404). */
export const showRecord = async <T extends { projectId: string }>(store: RecordStore<T>, names: RecordNames, identity: Identity, id: string): Promise<T> => {
  if (!isUuidLike(id)) throw new InvalidInputError(`Invalid ${names.idName} id provided.`);
  const record = await store.get(id);
  if (!record || (!identity.isAdmin && record.projectId !== identity.projectId)) throw new NotFoundError(`${names.name} ${id} could not be found.`);
  return record;
};

/** Lists records newest first (or `asc`), after the marker (404 when unknown), then offset and limit. */
export const listRecords = async <T extends { projectId: string }>(
  store: RecordStore<T>,
  names: RecordNames,
  identity: Identity,
  options: ListOptions,
): Promise<T[]> => {
  const projectId = options.allTenants ? undefined : identity.projectId;
  let after: T | undefined;
  if (options.marker !== undefined) {
    after = isUuidLike(options.marker) ? await store.get(options.marker) : undefined;
    if (!after || (projectId !== undefined && after.projectId !== projectId)) throw new NotFoundError(`${names.name} ${options.marker} could not be found.`);
  }
  const items = await store.list({
    projectId,
    filters: options.filters,
    dir: options.sort[0]?.dir === 'asc' ? 'asc' : 'desc',
    limit: options.offset + options.limit,
    after,
  });
  return items.slice(options.offset, options.offset + options.limit);
};
