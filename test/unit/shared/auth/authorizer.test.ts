import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { authorizerHandler } from '../../../../functions/auth/keystone-authorizer';
import { authorizerContext, type AuthorizerContext } from '../../../../shared/auth/authorizer-context';
import { KeystoneUnavailableError, type TokenValidator } from '../../../../shared/auth/keystone';
import { UnavailableError } from '../../../../shared/kernel/errors';
import type { LogEntry } from '../../../../shared/kernel/ports';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayRequestAuthorizerEventV2;
const routeEvent = (lambda: AuthorizerContext | undefined) =>
  ({ requestContext: { authorizer: lambda === undefined ? undefined : { lambda } } }) as unknown as APIGatewayProxyEventV2;

describe("Keystone authorizer and the routes' reading of it", () => {
  const validate: TokenValidator = async (token) => {
    if (token === 'good') return { userId: 'u1', projectId: 'p1', roles: ['member', 'admin'], isAdmin: true, expiresAt: '2099-01-01T00:00:00Z' };
    if (token === 'down') throw new KeystoneUnavailableError('Keystone answered 503');
    if (token === 'bug') throw new TypeError('boom');
    return undefined;
  };
  const logged: LogEntry[] = [];
  const handler = authorizerHandler(validate, (entry) => logged.push(entry));

  it('lets every request through with its verdict: the identity, or why there is none', async () => {
    // Act
    const results = await Promise.all([
      handler(request({ 'x-auth-token': 'good' })),
      handler(request({ 'x-auth-token': 'nope' })),
      handler(request({})),
      handler(request({ 'x-auth-token': 'down' })),
    ]);
    // Assess
    expect(results).toEqual([
      { isAuthorized: true, context: { userId: 'u1', projectId: 'p1', roles: 'member,admin' } },
      { isAuthorized: true, context: { authError: 'invalid' } },
      { isAuthorized: true, context: { authError: 'missing' } },
      { isAuthorized: true, context: { authError: 'unavailable' } },
    ]);
    expect(logged).toEqual([{ level: 'ERROR', message: 'Keystone answered 503' }]);
  });

  it("fails (API Gateway answers 500, no route runs) on an error that is not Keystone's", async () => {
    await expect(handler(request({ 'x-auth-token': 'bug' }))).rejects.toThrow('boom');
  });

  it('gives the route the identity from the verdict, nothing for a missing or refused token, and a 503 when Keystone was down', () => {
    // Act
    const identity = authorizerContext(routeEvent({ userId: 'u1', projectId: 'p1', roles: 'member, admin' }));
    const member = authorizerContext(routeEvent({ userId: 'u2', projectId: 'p2', roles: 'member' }));
    const none = [routeEvent({ authError: 'invalid' }), routeEvent({ authError: 'missing' }), routeEvent(undefined)].map(authorizerContext);
    // Assess
    expect(identity).toEqual({ userId: 'u1', projectId: 'p1', roles: ['member', 'admin'], isAdmin: true });
    expect(member?.isAdmin).toBe(false);
    expect(none).toEqual([undefined, undefined, undefined]);
    expect(() => authorizerContext(routeEvent({ authError: 'unavailable' }))).toThrow(UnavailableError);
  });
});
