import type { MiddlewareObj } from '@middy/core';
import type { Authenticator } from '../../auth/identity';
import { authenticatorFromEnv } from '../../auth/select';
import type { KarborEvent, KarborResult } from '../event';
import { LoginRequired } from '../login-required';

interface AuthOptions {
  authenticate: Authenticator;
  /** Public routes (version documents) need no token. */
  public: boolean;
}

/** Puts the caller's identity on the event; no token means Karbor's login reply. */
export const auth = (opts: Partial<AuthOptions> = {}): MiddlewareObj<KarborEvent, KarborResult> => {
  const o: AuthOptions = { authenticate: authenticatorFromEnv(), public: false, ...opts };
  const authBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    const identity = o.authenticate(request.event);
    if (identity) request.event.identity = identity;
    else if (!o.public) throw new LoginRequired();
  };
  return { before: authBefore };
};
