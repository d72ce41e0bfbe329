import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import * as config from '../../shared/config';
import type { Log } from '../../shared/kernel/ports';
import { jsonLog } from '../../shared/observability/log';
import type { AuthorizerContext } from '../../shared/auth/authorizer-context';
import { keystoneValidator, KeystoneUnavailableError, type TokenValidator } from '../../shared/auth/keystone';

/**
 * The API's Lambda authorizer in keystone mode (cdk context
 * `karbor:authMode=keystone`; locally KARBOR_KEYSTONE_URL): validates
 * X-Auth-Token with Keystone and hands the identity to the route in
 * `context`. It authorizes every request and says why there is no identity,
 * so the route answers with Karbor's fault JSON (401 / 503); API Gateway's
 * own cache is off and this function keeps validated tokens for
 * KARBOR_AUTH_CACHE_SECONDS instead.
 */
type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

export const authorizerHandler =
  (validate: TokenValidator, log: Log = jsonLog) =>
  async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
    const token = event.headers?.['x-auth-token'];
    if (!token) return { isAuthorized: true, context: { authError: 'missing' } };
    try {
      const identity = await validate(token);
      if (!identity) return { isAuthorized: true, context: { authError: 'invalid' } };
      return { isAuthorized: true, context: { userId: identity.userId, projectId: identity.projectId, roles: identity.roles.join(',') } };
    } catch (error) {
      if (!(error instanceof KeystoneUnavailableError)) throw error;
      log({ level: 'ERROR', message: error.message });
      return { isAuthorized: true, context: { authError: 'unavailable' } };
    }
  };

export const handler = authorizerHandler(keystoneValidator({ url: config.keystoneUrl() ?? '', cacheSeconds: config.authCacheSeconds() }));
