import { type HttpMethod, type RouteDef, routes } from './routes';

/** A path template compiled once: literal segments beat `{params}`, as API Gateway matches. */
interface Compiled {
  route: RouteDef;
  segments: string[];
  literalCount: number;
}

const split = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

const compiled: Compiled[] = routes
  .map((route) => {
    const segments = split(route.path);
    return { route, segments, literalCount: segments.filter((s) => !s.startsWith('{')).length };
  })
  .sort((a, b) => b.literalCount - a.literalCount);

const matchSegments = (template: string[], actual: string[]): Record<string, string> | undefined => {
  if (template.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i += 1) {
    const t = template[i];
    if (t.startsWith('{')) params[t.slice(1, -1)] = actual[i];
    else if (t !== actual[i]) return undefined;
  }
  return params;
};

type RouteMatch =
  | { kind: 'route'; route: RouteDef; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'none' };

/** Finds the route for a decoded path; a path known under other methods is a 405. */
export const matchRoute = (method: string, path: string): RouteMatch => {
  const actual = split(path);
  const allowed: HttpMethod[] = [];
  for (const c of compiled) {
    const params = matchSegments(c.segments, actual);
    if (!params) continue;
    if (c.route.method === method) return { kind: 'route', route: c.route, pathParameters: params };
    allowed.push(c.route.method);
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
};
