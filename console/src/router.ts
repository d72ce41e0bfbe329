import { useEffect, useState } from 'preact/hooks';

/** The console's views, in the navigation's order: `#/<id>` shows one, `#/plans/<plan id>` a plan's details. */
export const VIEWS = [
  { id: 'overview', title: 'Overview' },
  { id: 'plans', title: 'Plans' },
  { id: 'jobs', title: 'Jobs' },
  { id: 'restores', title: 'Restores' },
  { id: 'copies', title: 'Copies' },
  { id: 'verifications', title: 'Verifications' },
  { id: 'schedules', title: 'Schedules' },
  { id: 'log', title: 'Operation log' },
  { id: 'coverage', title: 'Coverage' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export interface Route {
  view: ViewId;
  /** The view's item (a plan's id), if the hash names one. */
  item?: string;
}

/** `#/plans/<id>` -> plans and the id; anything unknown (an empty hash included) is the overview. */
export const parseRoute = (hash: string): Route => {
  const [view, item] = hash.replace(/^#\/?/, '').split('/');
  const known = VIEWS.find((v) => v.id === view);
  if (!known) return { view: 'overview' };
  return item ? { view: known.id, item: decodeURIComponent(item) } : { view: known.id };
};

export const hrefOf = (view: ViewId, item?: string): string => `#/${view}${item ? `/${encodeURIComponent(item)}` : ''}`;

/** Goes to a view (the browser's history keeps it: Back returns). */
export const go = (view: ViewId, item?: string): void => {
  window.location.hash = hrefOf(view, item);
};

/** The route the hash names, following it as it changes (links, Back, Forward). */
export const useRoute = (): Route => {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
};
