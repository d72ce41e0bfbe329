import { UnauthenticatedError } from '../kernel/errors';
import { LoginRequired } from '../http/login-required';
import { authorizerContext } from './authorizer-context';
import type { Authenticator } from './authenticator';
import { noAuth } from './noauth';
import * as config from '../config';

export interface AuthMode {
  authenticate: Authenticator;
  /** What a non-public route answers when there is no identity. */
  missing: () => Error;
}

/**
 * `KARBOR_AUTH_MODE`: `noauth` (default, Karbor's devstack mode: no token is
 * its 204 login reply) or `authorizer` (the Keystone authorizer's verdict:
 * no valid token is a 401, as keystonemiddleware).
 */
export const authModeFromConfig = (env?: config.Env): AuthMode =>
  config.authMode(env) === 'authorizer'
    ? { authenticate: authorizerContext, missing: () => new UnauthenticatedError('The request you have made requires authentication.') }
    : { authenticate: noAuth, missing: () => new LoginRequired() };
