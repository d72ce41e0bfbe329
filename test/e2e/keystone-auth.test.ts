import { type FakeKeystone, startFakeKeystone } from '../support/fake-keystone';
import { startTestServer, type TestServer } from '../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

/**
 * Keystone mode through the real local server (KARBOR_KEYSTONE_URL): the
 * API's authorizer validates each token with Keystone, the routes act as
 * the token's user in the token's project with its roles.
 */
describe('keystone mode: tokens validated by Keystone', () => {
  let keystone: FakeKeystone;
  let server: TestServer;

  beforeAll(async () => {
    keystone = await startFakeKeystone();
    keystone.tokens.set('tok-member', { userId: 'alice', projectId: 'p1', roles: ['member'] });
    keystone.tokens.set('tok-admin', { userId: 'root', projectId: 'p1', roles: ['admin', 'member'] });
    keystone.tokens.set('tok-other', { userId: 'bob', projectId: 'p2', roles: ['member'] });
    server = await startTestServer({ keystoneUrl: keystone.url });
  });

  afterAll(async () => {
    await server.stop();
    await keystone.stop();
  });

  afterEach(() => {
    keystone.failWith = undefined;
  });

  it('answers a request without a token, or with one Keystone refuses, with the 401 fault', async () => {
    // Act
    const none = await server.call('GET', '/v1/p1/plans', { token: null });
    const refused = await server.call('GET', '/v1/p1/plans', { token: 'admin:p1' });
    const unrouted = await server.call('GET', '/v1/p1/nothing', { token: null });
    // Assess
    for (const res of [none, refused, unrouted]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ unauthorized: { code: 401, message: 'The request you have made requires authentication.' } });
    }
  });

  it('serves the version documents without a token', async () => {
    // Act
    const res = await server.call('GET', '/v1/', { token: null });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.versions[0].id).toBe('v1.0');
  });

  it("acts as the token's user in the token's project: a member creates and reads, another project cannot see it", async () => {
    // Act
    const created = await server.call('POST', '/v1/p1/plans', {
      token: 'tok-member',
      body: { plan: { name: 'mine', provider_id: NOOP, resources: [{ id: 'p1', type: 'OS::Keystone::Project', name: 'p1' }], parameters: {} } },
    });
    const id = created.body.plan.id;
    const mine = await server.call('GET', `/v1/p1/plans/${id}`, { token: 'tok-member' });
    const adminList = await server.call('GET', '/v1/p1/plans', { token: 'tok-admin' });
    const theirs = await server.call('GET', `/v1/p2/plans/${id}`, { token: 'tok-other' });
    const wrongUrl = await server.call('GET', '/v1/p2/plans', { token: 'tok-member' });
    // Assess
    expect(created.status).toBe(200);
    expect(mine.status).toBe(200);
    expect(adminList.body.plans.map((p: { id: string }) => p.id)).toEqual([id]);
    expect(theirs.status).toBe(404);
    expect(wrongUrl.status).toBe(400);
    expect(wrongUrl.body.badRequest.message).toBe("Malformed request url: the token is for project 'p1', not the URL's project 'p2'.");
  });

  it('takes admin from the admin role: admin-only routes refuse a member, after the project check', async () => {
    // Act
    const member = await server.call('GET', '/v1/p1/os-services', { token: 'tok-member' });
    const admin = await server.call('GET', '/v1/p1/os-services', { token: 'tok-admin' });
    const foreign = await server.call('GET', '/v1/p2/os-services', { token: 'tok-member' });
    // Assess
    expect([foreign.status, foreign.body.badRequest?.message]).toEqual([
      400,
      "Malformed request url: the token is for project 'p1', not the URL's project 'p2'.",
    ]);
    expect(member.status).toBe(403);
    expect(member.body.forbidden.message).toMatch(/^Policy doesn't allow .* to be performed\.$/);
    expect(admin.status).toBe(200);
  });

  it('answers 503 while Keystone cannot validate a token it has not seen yet', async () => {
    // Prepare
    keystone.tokens.set('tok-late', { userId: 'carol', projectId: 'p1', roles: ['member'] });
    keystone.failWith = 503;
    // Act
    const res = await server.call('GET', '/v1/p1/plans', { token: 'tok-late' });
    // Assess
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ serviceUnavailable: { code: 503, message: 'The identity service (Keystone) could not validate the token; retry later.' } });
  });
});
