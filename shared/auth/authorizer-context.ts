import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import type { Authenticator } from './identity';

/** What an API Gateway Lambda authorizer (simple response) puts in `context`. */
interface AuthorizerContext {
  userId?: string;
  projectId?: string;
  /** Comma-separated, as keystone's X-Roles. */
  roles?: string;
}

/**
 * Reads the identity an API Gateway Lambda authorizer produced
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 */
export const authorizerContext: Authenticator = (event) => {
  const ctx = (event as APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>).requestContext.authorizer?.lambda;
  if (!ctx?.userId || !ctx.projectId) return undefined;
  const roles = (ctx.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  return { userId: ctx.userId, projectId: ctx.projectId, roles, isAdmin: roles.includes('admin') };
};
