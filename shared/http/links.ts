import * as z from 'zod';
import type { Identity } from '../kernel/identity';
import { type ListOptions, type ListRules, parseListOptions } from '../kernel/list-options';
import type { KarborEvent } from './event';
import { baseUrl } from './event';

interface Link {
  rel: 'next';
  href: string;
}

/**
 * Karbor's next-page link: only when the page is full. The href repeats the
 * original query with `marker` set to the last item's id, on the real
 * collection path (Karbor points some at the wrong one; docs/decisions.md §5).
 */
export const nextLinks = (event: KarborEvent, collectionPath: string, ids: string[], limit: number): Link[] | undefined => {
  if (ids.length === 0 || ids.length < limit) return undefined;
  const query = new URLSearchParams(event.rawQueryString ?? '');
  query.set('marker', ids[ids.length - 1]);
  return [{ rel: 'next', href: `${baseUrl(event)}${collectionPath}?${query.toString()}` }];
};

/** Adds `<key>_links` to a list body when there is a next page. */
export const withLinks = <K extends string, T>(key: K, items: T[], links: Link[] | undefined): Record<K, T[]> & Partial<Record<`${K}_links`, Link[]>> => {
  const body = { [key]: items } as Record<K, T[]> & Partial<Record<`${K}_links`, Link[]>>;
  if (links) (body as Record<string, unknown>)[`${key}_links`] = links;
  return body;
};

/** What a list use case hands to its presenter. */
interface Page<T> {
  items: T[];
  limit: number;
}

/** Presents a page as `{key: [...], key_links?: [...]}` with links on `collection` (a path under /v1/<project>). */
export const presentPage =
  <T, V, K extends string>(key: K, view: (item: T) => V & { id: string }, collection: string) =>
  (page: Page<T>, input: { event: KarborEvent; identity: { projectId: string } }) => {
    const views = page.items.map(view);
    const path = `/v1/${input.identity.projectId}/${collection}`;
    return withLinks(
      key,
      views,
      nextLinks(
        input.event,
        path,
        views.map((v) => v.id),
        page.limit,
      ),
    );
  };

/** A list route's action: Karbor's list checks on the query (`rules`), then one page of `list` with its page size, for presentPage. */
export const listAction =
  <T>(rules: ListRules, list: (identity: Identity, options: ListOptions) => Promise<T[]> | T[]) =>
  async ({ query, identity }: { query: Record<string, string | undefined>; identity: Identity }): Promise<Page<T>> => {
    const options = parseListOptions(query, rules, identity.isAdmin);
    return { items: await list(identity, options), limit: options.limit };
  };

const linkSchema = z.object({ rel: z.literal('next'), href: z.string() }).meta({ title: 'NextLink' });

/** The response schema of a list: `{key: [item...], key_links?: [{rel: 'next', href}]}` (withLinks). */
export const pageSchema = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ [key]: z.array(item) } as Record<K, z.ZodArray<T>>).extend({
    [`${key}_links`]: z.array(linkSchema).optional().meta({ description: 'Only when the page is full: the next page, `marker` = the last id.' }),
  } as Record<`${K}_links`, z.ZodOptional<z.ZodArray<typeof linkSchema>>>);
