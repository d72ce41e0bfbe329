import { describeCli, karbor, properties, tableRows } from '../support/karbor-cli';
import { startTestIssuer, type TestIssuer } from '../support/jwt-issuer';
import { startTestServer, type TestServer } from '../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AUDIENCE = 'karbor-cli';
const UNAUTHORIZED = { message: 'Unauthorized' };

/**
 * JWT mode through the real local server: it verifies each token as API
 * Gateway's JWT authorizer does (signature from the issuer's published keys,
 * issuer, audience, expiry) and the routes read the claims as on AWS:
 * Cognito's `custom:project_id` and `cognito:groups` by default.
 */
describe('jwt mode: tokens verified against the issuer', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  const token = (project: string | undefined, groups: string[] = [], extra: Record<string, unknown> = {}) =>
    issuer.sign({ sub: `user-of-${project}`, aud: AUDIENCE, ...(project ? { 'custom:project_id': project } : {}), 'cognito:groups': groups, ...extra });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    // No key set URL: found through the issuer's OpenID discovery document.
    server = await startTestServer({ jwt: { issuer: issuer.issuer, audience: [AUDIENCE, 'other-client'] } });
  });

  afterAll(async () => {
    await server?.stop();
    await issuer?.stop();
  });

  it("answers a missing or unverifiable token with API Gateway's 401, whatever is wrong with it", async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      missing: null,
      noauth: 'admin:p1',
      garbage: 'a.b.c',
      forged: await issuer.sign({ sub: 'x', aud: AUDIENCE, 'custom:project_id': 'p1' }, { key: 'stranger' }),
      expired: await token('p1', [], { exp: now - 60, iat: now - 3600 }),
      notYet: await token('p1', [], { nbf: now + 600 }),
      otherIssuer: await token('p1', [], { iss: 'https://elsewhere.example.com' }),
      otherAudience: await token('p1', [], { aud: 'someone-else' }),
      noAudience: await token('p1', [], { aud: undefined }),
    };
    for (const [what, t] of Object.entries(bad)) {
      // Act
      const res = await server.call('GET', '/v1/p1/plans', { token: t });
      // Assess
      expect([what, res.status, res.body]).toEqual([what, 401, UNAUTHORIZED]);
    }
    const unrouted = await server.call('GET', '/v1/p1/nothing', { token: null });
    expect(unrouted.status).toBe(401);
  });

  it('serves the version documents without a token', async () => {
    // Act
    const res = await server.call('GET', '/v1/', { token: null });
    // Assess
    expect(res.status).toBe(200);
  });

  it("acts as the token's subject in its project: another project neither sees it nor may name it in the URL", async () => {
    // Prepare
    const member = await token('p1');
    // Act
    const created = await server.call('POST', '/v1/p1/plans', {
      token: member,
      body: { plan: { name: 'mine', provider_id: NOOP, resources: [{ id: 'p1', type: 'OS::Keystone::Project', name: 'p1' }], parameters: {} } },
    });
    const id = created.body.plan.id;
    const mine = await server.call('GET', `/v1/p1/plans/${id}`, { token: member });
    // A Bearer prefix is accepted, as API Gateway does.
    const bearer = await server.call('GET', `/v1/p1/plans/${id}`, { token: `Bearer ${member}` });
    const theirs = await server.call('GET', `/v1/p2/plans/${id}`, { token: await token('p2') });
    const wrongUrl = await server.call('GET', '/v1/p2/plans', { token: member });
    // Assess
    expect(created.status).toBe(200);
    expect(mine.status).toBe(200);
    expect(bearer.status).toBe(200);
    expect(theirs.status).toBe(404);
    expect(wrongUrl.status).toBe(400);
    expect(wrongUrl.body.badRequest.message).toBe("Malformed request url: the token is for project 'p1', not the URL's project 'p2'.");
  });

  it("takes admin from the admin group only; a token without a project is Karbor's 401", async () => {
    // Act
    const member = await server.call('GET', '/v1/p1/os-services', { token: await token('p1', ['backup-operators']) });
    const admin = await server.call('GET', '/v1/p1/os-services', { token: await token('p1', ['admin']) });
    const noProject = await server.call('GET', '/v1/p1/plans', { token: await token(undefined, ['admin']) });
    // Assess
    expect(member.status).toBe(403);
    expect(admin.status).toBe(200);
    expect(noProject.status).toBe(401);
    expect(noProject.body).toEqual({ unauthorized: { code: 401, message: 'The request you have made requires authentication.' } });
  });

  it("accepts Cognito access tokens, which name the audience in client_id, and reads the issuer's keys once", async () => {
    // Prepare
    const access = await issuer.sign({ sub: 'u', client_id: 'other-client', 'custom:project_id': 'p3', token_use: 'access' });
    const before = issuer.jwksRequests;
    // Act
    const res = await server.call('GET', '/v1/p3/plans', { token: access });
    // Assess
    expect(res.status).toBe(200);
    expect(issuer.jwksRequests).toBe(before);
  });
});

describeCli('karbor CLI with a JWT (jwt mode)', () => {
  let issuer: TestIssuer;
  let server: TestServer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestServer({ jwt: { issuer: issuer.issuer, audience: [AUDIENCE], jwksUrl: `${issuer.issuer}/keys` } });
  });

  afterAll(async () => {
    await server?.stop();
    await issuer?.stop();
  });

  it('creates, shows and lists a plan with OS_AUTH_TOKEN set to the JWT', async () => {
    // Prepare
    const jwt = await issuer.sign({ sub: 'alice', aud: AUDIENCE, 'custom:project_id': 'demo' });
    // Act: the token goes where Karbor's goes, X-Auth-Token.
    const created = await karbor(server.url, 'demo', ['plan-create', 'jwt-plan', NOOP, 'demo=OS::Keystone::Project=demo'], undefined, jwt);
    const id = properties(created.stdout).id;
    const listed = await karbor(server.url, 'demo', ['plan-list'], undefined, jwt);
    const refused = await karbor(server.url, 'demo', ['plan-list'], undefined, 'not-a-jwt');
    // Assess
    expect(created.status).toBe(0);
    expect(properties(created.stdout).name).toBe('jwt-plan');
    expect(listed.status).toBe(0);
    expect(tableRows(listed.stdout).map((r) => r[0])).toContain(id);
    expect(refused.status).not.toBe(0);
  });
});
