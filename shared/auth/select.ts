import { authorizerContext } from './authorizer-context';
import type { Authenticator } from './identity';
import { noAuth } from './noauth';

/** `KARBOR_AUTH_MODE`: `noauth` (default, Karbor's devstack mode) or `authorizer`. */
export const authenticatorFromEnv = (env: NodeJS.ProcessEnv = process.env): Authenticator =>
  env.KARBOR_AUTH_MODE === 'authorizer' ? authorizerContext : noAuth;
