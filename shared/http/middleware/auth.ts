import type { MiddlewareObj } from '@middy/core';
import { authModeFromConfig, type AuthMode } from '../../auth/select';
import { perRuntime } from '../../runtime-host';
import type { KarborEvent, KarborResult } from '../event';

interface AuthOptions {
  /** Public routes (version documents) need no token. */
  public: boolean;
}

/**
 * Puts the caller's identity on the event; without one a non-public route
 * answers the mode's reply (login / 401). What the caller may do is ./access.ts.
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
  };
  return { before: authBefore };
};
