import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Authenticator } from './authenticator';

/** Which claims carry the project and the roles (`karbor:jwtProjectClaim`, `karbor:jwtRolesClaim`). */
export interface ClaimNames {
  project: string;
  roles: string;
}

/** Cognito's: the project is a custom attribute only an administrator can set; the roles are the user's groups. */
export const COGNITO_CLAIMS: ClaimNames = { project: 'custom:project_id', roles: 'cognito:groups' };

/**
 * A claim's values. API Gateway hands every claim over as a string, an array
 * as `[a b c]`; tokens from other issuers may carry a comma-separated string.
 */
export const claimValues = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value !== 'string') return [];
  const inner = /^\[(.*)\]$/s.exec(value.trim());
  return (inner ? inner[1].split(/\s+/) : value.split(',')).map((v) => v.trim()).filter(Boolean);
};

/**
 * Reads the identity from the claims API Gateway's JWT authorizer verified
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * the user is `sub`, the project and roles come from the named claims, and the
 * role `admin` makes an admin, as Karbor's `is_admin` rule. A token without a
 * project is no identity: Karbor keys everything by project.
 */
export const jwtClaims =
  (names: ClaimNames): Authenticator =>
  (event) => {
    const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt?.claims;
    const userId = claims?.sub;
    const projectId = claims?.[names.project];
    if (typeof userId !== 'string' || userId === '' || typeof projectId !== 'string' || projectId === '') return undefined;
    const roles = claimValues(claims?.[names.roles]);
    return { userId, projectId, roles, isAdmin: roles.includes('admin') };
  };
