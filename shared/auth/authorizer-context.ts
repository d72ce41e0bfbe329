import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import { UnavailableError } from '../kernel/errors';
import type { Authenticator } from './authenticator';

/** The API's Lambda authorizer in keystone mode: the stack attaches it, the local runtime runs it. */
export const AUTHORIZER_MODULE = 'functions/auth/keystone-authorizer';

/**
 * What the Keystone authorizer (functions/auth/keystone-authorizer.ts, simple
 * response) puts in `context`: the identity, or why there is none.
 */
export interface AuthorizerContext {
  userId?: string;
  projectId?: string;
  /** Comma-separated, as keystonemiddleware's X-Roles. */
  roles?: string;
  /** `missing` / `invalid` token: 401 from the route; `unavailable`: Keystone did not answer, 503. */
  authError?: 'missing' | 'invalid' | 'unavailable';
}

/**
 * Reads the identity an API Gateway Lambda authorizer produced
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 * The authorizer lets every request through with its verdict, so that the
 * route answers Karbor's fault JSON rather than API Gateway's own 401/403.
 */
export const authorizerContext: Authenticator = (event) => {
  const ctx = (event as APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>).requestContext.authorizer?.lambda;
  if (ctx?.authError === 'unavailable') throw new UnavailableError('The identity service (Keystone) could not validate the token; retry later.');
  if (!ctx?.userId || !ctx.projectId) return undefined;
  const roles = (ctx.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return { userId: ctx.userId, projectId: ctx.projectId, roles, isAdmin: roles.includes('admin') };
};
