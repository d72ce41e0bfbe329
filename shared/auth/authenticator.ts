import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Identity } from '../kernel/identity';

/**
 * The auth port: turns a request into an identity, or `undefined` when it
 * carries no credentials. Adapters: noauth (local, Karbor's convention) and
 * authorizer-context (API Gateway Lambda authorizer).
 */
export type Authenticator = (event: APIGatewayProxyEventV2) => Identity | undefined;
