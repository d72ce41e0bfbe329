import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Who is calling: the one thing handlers learn from authentication. */
export interface Identity {
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
}

/**
 * The auth port: turns a request into an identity, or `undefined` when it
 * carries no credentials. Adapters: noauth (local, Karbor's convention) and
 * authorizer-context (API Gateway Lambda authorizer).
 */
export type Authenticator = (event: APIGatewayProxyEventV2) => Identity | undefined;
