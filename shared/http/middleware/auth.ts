import type { MiddlewareObj } from '@middy/core';
import { authModeFromConfig, type AuthMode } from '../../auth/select';
import type { KarborEvent, KarborResult } from '../event';

interface AuthOptions extends AuthMode {
  /** Public routes (version documents) need no token. */
  public: boolean;
}

/**
 * Puts the caller's identity on the event; without one a non-public route
 * answers the mode's reply (login / 401). What the caller may do is ./access.ts.
 */
export const auth = (opts: Partial<AuthOptions> = {}): MiddlewareObj<KarborEvent, KarborResult> => {
  const o: AuthOptions = { ...authModeFromConfig(), public: false, ...opts };
  const authBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    if (o.public) return;
    const identity = o.authenticate(request.event);
    if (!identity) throw o.missing();
    request.event.identity = identity;
  };
  return { before: authBefore };
};
