import { startTestServer, type TestServer } from '../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'quotaproj';
const VM = { id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1' };
const planBody = (name = 'over') => ({ plan: { name, provider_id: NOOP, resources: [VM], parameters: {} } });

describe('quotas and quota classes API over HTTP', () => {
  let server: TestServer;
  const createPlan = (project: string) => server.call('POST', `/v1/${project}/plans`, { body: planBody() });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('GET /quotas/{target}, /detail, /defaults', () => {
    it('shows the configured defaults with the target as id, in Karbor’s key order', async () => {
      // Act
      const res = await server.call('GET', `/v1/${P}/quotas/${P}`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
      expect(res.text).toBe(`{"quota":{"plans":50,"checkpoints":-1,"id":"${P}"}}`);
    });

    it('takes any project id string as a target (docs/decisions.md §11; Karbor: 400 "Invalid project id provided.")', async () => {
      // Act
      const res = await server.call('GET', `/v1/${P}/quotas/admin`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ quota: { plans: 50, checkpoints: -1, id: 'admin' } });
    });

    it('details limits with the usage counter as in_use and reserved 0', async () => {
      // Prepare
      const project = 'quotadetail';
      for (let i = 0; i < 3; i += 1) expect((await createPlan(project)).status).toBe(200);
      // Act
      const res = await server.call('GET', `/v1/${project}/quotas/${project}/detail`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.text).toBe(`{"quota":{"plans":{"limit":50,"in_use":3,"reserved":0},"checkpoints":{"limit":-1,"in_use":0,"reserved":0},"id":"${project}"}}`);
    });

    it('answers the defaults for any target', async () => {
      // Act
      const res = await server.call('GET', `/v1/${P}/quotas/someone-else/defaults`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ quota: { plans: 50, checkpoints: -1, id: 'someone-else' } });
    });

    it('refuses a target over 255 characters with 400', async () => {
      // Act
      const res = await server.call('GET', `/v1/${P}/quotas/${'x'.repeat(256)}/detail`);
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message: 'Invalid project id provided.' } });
    });
  });

  describe('PUT and DELETE /quotas/{target}', () => {
    it.each([
      [{ quota: { plans: 'abc' } }, "Quota 'abc' for plans should be integer."],
      [{ quota: { plans: -2 } }, 'Quota limit must be -1 or greater.'],
      [{ quota: { checkpoints: '' } }, "Quota '' for checkpoints should be integer."],
      [{ quota: { plans: 1.5 } }, "Invalid input for field/attribute plans. Value: 1.5. 1.5 is not of type 'boolean', 'string', 'integer'"],
      [{ quota: null }, "Invalid input for field/attribute quota. Value: None. None is not of type 'object'"],
      [{ quota: [] }, "Invalid input for field/attribute quota. Value: []. [] is not of type 'object', 'null'"],
      [{ plans: 1 }, "'quota' is a required property"],
      [{ quota: { plans: 1 }, type: 'x' }, "Additional properties are not allowed ('type' was unexpected)"],
    ])('refuses %j with 400 "%s"', async (body, message) => {
      // Act
      const res = await server.call('PUT', `/v1/${P}/quotas/${P}`, { body });
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message } });
    });

    it('refuses a missing body with 400', async () => {
      // Act
      const res = await server.call('PUT', `/v1/${P}/quotas/${P}`);
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message: 'Malformed request body' } });
    });

    it('lowers the plan quota to the current usage: the next plan create is 413, DELETE restores the default', async () => {
      // Prepare
      const project = 'quotalower';
      for (let i = 0; i < 3; i += 1) expect((await createPlan(project)).status).toBe(200);
      // Act
      const put = await server.call('PUT', `/v1/${project}/quotas/${project}`, { body: { quota: { plans: 3, foo: 1 } } });
      const over = await createPlan(project);
      const del = await server.call('DELETE', `/v1/${project}/quotas/${project}`);
      const detail = await server.call('GET', `/v1/${project}/quotas/${project}/detail`);
      const again = await createPlan(project);
      // Assess
      expect(put.status).toBe(200);
      expect(put.text).toBe('{"quota":{"plans":3,"checkpoints":-1}}');
      expect(over.status).toBe(413);
      expect(over.headers.get('retry-after')).toBe('0');
      expect(over.body).toEqual({ overLimit: { code: 413, message: 'Maximum number of plans allowed (3) exceeded', retryAfter: '0' } });
      expect(del.status).toBe(200);
      expect(del.headers.get('content-type')).toBe('application/json');
      expect(del.text).toBe('');
      // The usage counter survives the delete (Karbor drops it and then undercounts).
      expect(detail.body.quota.plans).toEqual({ limit: 50, in_use: 3, reserved: 0 });
      expect(again.status).toBe(200);
    });

    it('takes numeric strings and booleans, and keeps the other resource’s override', async () => {
      // Prepare
      const project = 'quotavalues';
      await server.call('PUT', `/v1/${project}/quotas/${project}`, { body: { quota: { checkpoints: '7' } } });
      // Act
      const res = await server.call('PUT', `/v1/${project}/quotas/${project}`, { body: { quota: { plans: true, id: 'ignored' } } });
      const show = await server.call('GET', `/v1/${project}/quotas/${project}`);
      // Assess
      expect(res.body).toEqual({ quota: { plans: 1, checkpoints: 7 } });
      expect(show.body).toEqual({ quota: { plans: 1, checkpoints: 7, id: project } });
    });
  });

  it('enforces a checkpoint override on checkpoint create (413)', async () => {
    // Prepare
    const project = 'quotackpt';
    const plan = (await createPlan(project)).body.plan;
    await server.call('PUT', `/v1/${project}/quotas/${project}`, { body: { quota: { checkpoints: 0 } } });
    // Act
    const res = await server.call('POST', `/v1/${project}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: plan.id } } });
    // Assess
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ overLimit: { code: 413, message: 'Maximum number of checkpoints allowed (0) exceeded', retryAfter: '0' } });
  });

  describe('quota classes', () => {
    it('shows a class that was never set with the configured defaults', async () => {
      // Act
      const res = await server.call('GET', `/v1/${P}/quota_classes/never-set`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"quota_class":{"plans":50,"checkpoints":-1,"id":"never-set"}}');
    });

    it('updates a class and answers its values without id', async () => {
      // Act
      const res = await server.call('PUT', `/v1/${P}/quota_classes/kverify-class`, { body: { quota_class: { plans: 7 } } });
      const show = await server.call('GET', `/v1/${P}/quota_classes/kverify-class`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"quota_class":{"plans":7,"checkpoints":-1}}');
      expect(show.body).toEqual({ quota_class: { plans: 7, checkpoints: -1, id: 'kverify-class' } });
    });

    it('refuses bad class values and names with 400', async () => {
      // Act
      const value = await server.call('PUT', `/v1/${P}/quota_classes/gold`, { body: { quota_class: { plans: 'x' } } });
      const name = await server.call('GET', `/v1/${P}/quota_classes/${'c'.repeat(256)}`);
      const envelope = await server.call('PUT', `/v1/${P}/quota_classes/gold`, { body: { quota: { plans: 1 } } });
      // Assess
      expect(value.body).toEqual({ badRequest: { code: 400, message: "Quota 'x' for plans should be integer." } });
      expect(name.status).toBe(400);
      expect(envelope.status).toBe(400);
    });

    it('lets the default class set every project’s limit: lowered it refuses a plan (413), raised it lets it through', async () => {
      // Prepare
      const project = 'quotaclassproj';
      expect((await createPlan(project)).status).toBe(200);
      try {
        // Act
        const lowered = await server.call('PUT', `/v1/${P}/quota_classes/default`, { body: { quota_class: { plans: 1 } } });
        const refused = await createPlan(project);
        const defaults = await server.call('GET', `/v1/${P}/quotas/${project}/defaults`);
        await server.call('PUT', `/v1/${P}/quota_classes/default`, { body: { quota_class: { plans: 2 } } });
        const allowed = await createPlan(project);
        // Assess
        expect(lowered.body).toEqual({ quota_class: { plans: 1, checkpoints: -1 } });
        expect(refused.status).toBe(413);
        expect(refused.body.overLimit.message).toBe('Maximum number of plans allowed (1) exceeded');
        expect(defaults.body).toEqual({ quota: { plans: 1, checkpoints: -1, id: project } });
        expect(allowed.status).toBe(200);
      } finally {
        await server.call('PUT', `/v1/${P}/quota_classes/default`, { body: { quota_class: { plans: 50 } } });
      }
    });

    it('lets a project override beat the default class', async () => {
      // Prepare
      const project = 'quotaoverride';
      await server.call('PUT', `/v1/${P}/quota_classes/default`, { body: { quota_class: { checkpoints: 4 } } });
      try {
        // Act
        await server.call('PUT', `/v1/${project}/quotas/${project}`, { body: { quota: { checkpoints: 9 } } });
        const own = await server.call('GET', `/v1/${project}/quotas/${project}`);
        const other = await server.call('GET', `/v1/${P}/quotas/${P}`);
        // Assess
        expect(own.body.quota).toMatchObject({ checkpoints: 9 });
        expect(other.body.quota).toMatchObject({ checkpoints: 4 });
      } finally {
        await server.call('PUT', `/v1/${P}/quota_classes/default`, { body: { quota_class: { checkpoints: -1 } } });
      }
    });
  });

  describe('members (noauth user other than admin)', () => {
    const alice = 'alice:p1';

    it('read their own project’s quota, any defaults and any class', async () => {
      // Act
      const own = await server.call('GET', '/v1/p1/quotas/p1', { token: alice });
      const detail = await server.call('GET', '/v1/p1/quotas/p1/detail', { token: alice });
      const defaults = await server.call('GET', '/v1/p1/quotas/p2/defaults', { token: alice });
      const cls = await server.call('GET', '/v1/p1/quota_classes/default', { token: alice });
      // Assess
      expect([own.status, detail.status, defaults.status, cls.status]).toEqual([200, 200, 200, 200]);
    });

    it.each([
      ['GET', '/v1/p1/quotas/p2', 'quota:get', undefined],
      ['GET', '/v1/p1/quotas/p2/detail', 'quota:get', undefined],
      ['PUT', '/v1/p1/quotas/p1', 'quota:update', { quota: { plans: 100 } }],
      ['DELETE', '/v1/p1/quotas/p1', 'quota:delete', undefined],
      ['PUT', '/v1/p1/quota_classes/default', 'quota_class:update', { quota_class: { plans: 100 } }],
    ])('are refused %s %s with 403 (%s)', async (method, path, policy, body) => {
      // Act
      const res = await server.call(method, path, { token: alice, body });
      // Assess
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ forbidden: { code: 403, message: `Policy doesn't allow ${policy} to be performed.` } });
    });
  });
});
