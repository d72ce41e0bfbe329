import { UnauthenticatedError } from '../kernel/errors';
import { LoginRequired } from '../http/login-required';
import { authorizerContext } from './authorizer-context';
import type { Authenticator } from './authenticator';
import { jwtClaims } from './jwt-claims';
import { noAuth } from './noauth';
import * as config from '../config';

export interface AuthMode {
  authenticate: Authenticator;
  /** What a non-public route answers when there is no identity. */
  missing: () => Error;
}

const unauthenticated = () => new UnauthenticatedError('The request you have made requires authentication.');

/**
 * `KARBOR_AUTH_MODE`: `noauth` (default, Karbor's devstack mode: no token is
 * its 204 login reply), `authorizer` (the Keystone authorizer's verdict) or
 * `jwt` (the claims API Gateway's JWT authorizer verified). Without a usable
 * identity the authenticated modes answer 401, as keystonemiddleware.
 */
export const authModeFromConfig = (): AuthMode => {
  switch (config.authMode()) {
    case 'authorizer':
      return { authenticate: authorizerContext, missing: unauthenticated };
    case 'jwt':
      return { authenticate: jwtClaims({ project: config.jwtProjectClaim(), roles: config.jwtRolesClaim() }), missing: unauthenticated };
    default:
      return { authenticate: noAuth, missing: () => new LoginRequired() };
  }
};
