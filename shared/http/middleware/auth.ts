import type { MiddlewareObj } from '@middy/core';
import { authModeFromConfig, type AuthMode } from '../../auth/select';
import { ForbiddenError } from '../../kernel/errors';
import type { KarborEvent, KarborResult } from '../event';

interface AuthOptions extends AuthMode {
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
  const o: AuthOptions = { ...authModeFromConfig(), public: false, ...opts };
  const authBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    if (o.public) return;
    const identity = o.authenticate(request.event);
    if (!identity) throw o.missing();
    request.event.identity = identity;
    // Deliberate difference: Karbor validates the body first; a member's body never costs an admin route anything.
    if (o.adminPolicy !== undefined && !identity.isAdmin) throw new ForbiddenError(`Policy doesn't allow ${o.adminPolicy} to be performed.`);
  };
  return { before: authBefore };
};
