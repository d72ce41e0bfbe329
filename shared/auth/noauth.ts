import type { Authenticator } from './authenticator';
import type { Identity } from '../kernel/identity';

/**
 * Karbor's noauth convention: `X-Auth-Token: <user>:<project>` (no `:` means
 * project = user). Deliberate difference (docs/decisions.md §1): only the user
 * `admin` gets the admin role; Karbor makes every noauth caller admin.
 */
const parseNoAuthToken = (token: string): Identity => {
  const at = token.indexOf(':');
  const userId = at < 0 ? token : token.slice(0, at);
  const project = at < 0 ? '' : token.slice(at + 1);
  const projectId = project.length > 0 ? project : userId;
  const isAdmin = userId === 'admin';
  return { userId, projectId, roles: isAdmin ? ['admin'] : ['member'], isAdmin };
};

export const noAuth: Authenticator = (event) => {
  const token = event.headers?.['x-auth-token'];
  return token ? parseNoAuthToken(token) : undefined;
};
