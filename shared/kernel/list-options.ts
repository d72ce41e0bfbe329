import { InvalidInputError } from './errors';

/** Karbor's `osapi_max_limit`: the default page size and its cap. */
export const MAX_LIMIT = 1000;
const MAX_OFFSET = 2147483647;

export type SortDir = 'asc' | 'desc';

export interface SortSpec {
  key: string;
  dir: SortDir;
}

/** A list request after Karbor's common checks (docs/contract.md §3.5, docs/decisions.md §5). */
export interface ListOptions {
  limit: number;
  marker?: string;
  offset: number;
  /** Requested keys; tiebreakers are the store's business. */
  sort: SortSpec[];
  /** Filter values are strings; a comma list means any-of. */
  filters: Record<string, string[]>;
  allTenants: boolean;
}

export interface ListRules {
  /** Keys `sort`/`sort_key` may name; anything else is a 400 (Karbor: 500). `any`: validated for direction only. */
  sortKeys: readonly string[] | 'any';
  /** Filters a member may use; others are dropped silently, as Karbor does. */
  memberFilters: readonly string[];
  /** Extra filters only an admin may use. */
  adminFilters?: readonly string[];
  /** Lists that support `all_tenants`. */
  allTenants?: boolean;
}

const RESERVED = new Set(['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'all_tenants']);
const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

const parseLimit = (raw: string | undefined): number => {
  if (raw === undefined) return MAX_LIMIT;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidInputError('limit param must be an integer');
  const n = Number(raw);
  if (n <= 0) throw new InvalidInputError('limit param must be positive');
  return Math.min(n, MAX_LIMIT);
};

const parseOffset = (raw: string | undefined): number => {
  if (raw === undefined) return 0;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidInputError('offset must be an integer.');
  const n = Number(raw);
  if (n < 0) throw new InvalidInputError('offset must be >= 0');
  if (n > MAX_OFFSET) throw new InvalidInputError('offset must be <= 2147483647');
  return n;
};

const parseDir = (raw: string | undefined): SortDir => {
  const dir = (raw ?? 'desc').trim().toLowerCase();
  if (dir !== 'asc' && dir !== 'desc') {
    throw new InvalidInputError("Invalid input received: Unknown sort direction, must be 'desc' or 'asc'.");
  }
  return dir;
};

const parseSort = (query: Record<string, string | undefined>, keys: ListRules['sortKeys']): SortSpec[] => {
  const { sort, sort_key: sortKey, sort_dir: sortDir } = query;
  if (sort !== undefined && (sortKey !== undefined || sortDir !== undefined)) {
    throw new InvalidInputError("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
  }
  const specs =
    sort !== undefined
      ? sort
          .split(',')
          .filter((s) => s.trim().length > 0)
          .map((part) => {
            const [key, dir] = part.split(':');
            return { key: key.trim(), dir: parseDir(dir) };
          })
      : sortKey !== undefined || sortDir !== undefined
        ? [{ key: (sortKey ?? 'created_at').trim(), dir: parseDir(sortDir) }]
        : [];
  for (const s of specs) {
    // Deliberate difference: Karbor answers an unknown sort key with a 500.
    if (keys !== 'any' && !keys.includes(s.key)) throw new InvalidInputError(`Invalid input received: Unknown sort key '${s.key}'.`);
  }
  return specs;
};

/** Karbor's boolean `all_tenants` (absent: false); a value that is no boolean is a 400. */
export const parseAllTenants = (raw: string | undefined): boolean => {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new InvalidInputError(`Value ${raw} for all_tenants is not a boolean.`);
};

/** Applies Karbor's list checks to a query string map. */
export const parseListOptions = (query: Record<string, string | undefined>, rules: ListRules, isAdmin: boolean): ListOptions => {
  const limit = parseLimit(query.limit);
  const offset = parseOffset(query.offset);
  const sort = parseSort(query, rules.sortKeys);
  const allowed = new Set([...rules.memberFilters, ...(isAdmin ? (rules.adminFilters ?? []) : [])]);
  const filters: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (RESERVED.has(key) || value === undefined || !allowed.has(key)) continue;
    filters[key] = value.split(',');
  }
  // all_tenants is an admin filter: a member's is dropped like any other filter it may not use.
  const allTenants = isAdmin && rules.allTenants === true ? parseAllTenants(query.all_tenants) : false;
  return { limit, marker: query.marker, offset, sort, filters, allTenants };
};

/** A compiled regex filter: whether a value matches (an unanchored search). */
export type TextMatcher = (value: string) => boolean;

/**
 * Compiles the regex filter `filter` once per request, or throws
 * InvalidInputError; implemented by regex-filter.ts, which list handlers
 * pass in (regex-compiler.ts) so that only they bundle the regex engine, and load it only for a filter.
 */
export type RegexCompiler = (filter: string, source: string) => TextMatcher;

/**
 * What a list use case asks of its store: the caller's project (undefined =
 * every project, admin + all_tenants), the page, the direction, a sort key
 * other than the index order (sorted in memory where the store supports it)
 * and an in-memory filter.
 */
export interface StoreListQuery<T> {
  projectId?: string;
  limit: number;
  marker?: string;
  ascending: boolean;
  sortKey?: string;
  keep?: (item: T) => boolean;
}

/** The store query of a parsed list request; `keep` applies only when the caller gave a filter. */
export const storeListQuery = <T>(identity: { projectId: string }, options: ListOptions, keep: (item: T) => boolean): StoreListQuery<T> => ({
  projectId: options.allTenants ? undefined : identity.projectId,
  limit: options.limit,
  marker: options.marker,
  ascending: options.sort[0]?.dir === 'asc',
  sortKey: options.sort[0]?.key,
  keep: Object.keys(options.filters).length > 0 ? keep : undefined,
});
