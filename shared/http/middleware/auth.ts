import type { MiddlewareObj } from '@middy/core';
import { authModeFromConfig, type AuthMode } from '../../auth/select';
import { ForbiddenError } from '../../kernel/errors';
import { perRuntime } from '../../runtime-host';
import type { KarborEvent, KarborResult } from '../event';

interface AuthOptions {
  /** Public routes (version documents) need no token. */
  public: boolean;
  /** Admin-only routes: set, a member is refused with 403 naming this policy, before the body is read. */
  adminPolicy?: string;
}

/**
 * Puts the caller's identity on the event; without one a non-public route
 * answers the mode's reply (login / 401), and an admin-only route refuses a
 * member (403).
 */
export const auth = (opts: Partial<AuthOptions> = {}): MiddlewareObj<KarborEvent, KarborResult> => {
  const o: AuthOptions = { public: false, ...opts };
  // The mode of the runtime that invokes the route: the stack's for the function, or a local runtime's.
  const mode = perRuntime((): AuthMode => authModeFromConfig());
  const authBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    if (o.public) return;
    const { authenticate, missing } = mode();
    const identity = authenticate(request.event);
    if (!identity) throw missing();
    request.event.identity = identity;
    // Deliberate difference: Karbor validates the body first; a member's body never costs an admin route anything.
    if (o.adminPolicy !== undefined && !identity.isAdmin) throw new ForbiddenError(`Policy doesn't allow ${o.adminPolicy} to be performed.`);
  };
  return { before: authBefore };
};
