import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { claimValues, COGNITO_CLAIMS, jwtClaims } from '../../../../shared/auth/jwt-claims';

const eventWith = (claims: Record<string, unknown> | undefined) =>
  ({ requestContext: { authorizer: claims ? { jwt: { claims, scopes: null } } : undefined } }) as unknown as APIGatewayProxyEventV2;

describe('claimValues', () => {
  it.each([
    ['[admin member]', ['admin', 'member']],
    ['[admin]', ['admin']],
    ['[]', []],
    ['admin, member', ['admin', 'member']],
    ['admin', ['admin']],
    [
      ['admin', 'member'],
      ['admin', 'member'],
    ],
    [undefined, []],
    [42, []],
  ])('reads %j as %j', (value, expected) => {
    // Act / Assess
    expect(claimValues(value)).toEqual(expected);
  });
});

describe('jwtClaims', () => {
  const read = jwtClaims(COGNITO_CLAIMS);

  it("is the subject in the project claim, admin only with the admin role (API Gateway's string form)", () => {
    // Act
    const member = read(eventWith({ sub: 'u1', 'custom:project_id': 'p1', 'cognito:groups': '[operators]' }));
    const admin = read(eventWith({ sub: 'u2', 'custom:project_id': 'p1', 'cognito:groups': '[operators admin]' }));
    // Assess
    expect(member).toEqual({ userId: 'u1', projectId: 'p1', roles: ['operators'], isAdmin: false });
    expect(admin?.isAdmin).toBe(true);
  });

  it('is no identity without claims, a subject or a project', () => {
    // Act / Assess
    expect(read(eventWith(undefined))).toBeUndefined();
    expect(read(eventWith({ 'custom:project_id': 'p1' }))).toBeUndefined();
    expect(read(eventWith({ sub: 'u1' }))).toBeUndefined();
    expect(read(eventWith({ sub: 'u1', 'custom:project_id': '' }))).toBeUndefined();
    // A user named admin is not an admin: only the role is.
    expect(read(eventWith({ sub: 'admin', 'custom:project_id': 'p1' }))?.isAdmin).toBe(false);
  });
});
