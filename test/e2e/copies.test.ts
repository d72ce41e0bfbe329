import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

/**
 * Karbor's checkpoint copy route (docs/contract.md §5.10, docs/decisions.md
 * §15) over the real local server, No-Op provider: the checks in Karbor's
 * order and texts, each copy a checkpoint `wait_copying` -> `copying` ->
 * `available` with its `copy` operation log, a source copied once per
 * destination, the quota. The No-Op plugin is slowed down so a copy is seen
 * while it runs.
 */
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const UNKNOWN_PLAN = '9b1d0f4e-7a3c-4d2e-9f55-000000000001';
const P = 'copyproj';
const base = `/v1/${P}`;
const copyPath = (provider = NOOP) => `${base}/providers/${provider}/checkpoints/action`;

describe('checkpoint copy over HTTP (No-Op provider)', () => {
  let server: TestServer;

  const createPlan = async (provider = NOOP) => {
    const res = await server.call('POST', `${base}/plans`, {
      body: {
        plan: {
          name: 'copy plan',
          provider_id: provider,
          parameters: {},
          resources: [{ id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1' }],
        },
      },
    });
    expect(res.status).toBe(200);
    return res.body.plan.id as string;
  };
  const show = (id: string) => server.call('GET', `${base}/providers/${NOOP}/checkpoints/${id}`);
  const settled = (id: string) =>
    waitFor(
      () => show(id),
      (r) => !['protecting', 'wait_copying', 'copying'].includes(r.body.checkpoint.status),
      { tries: 600, intervalMs: 100 },
    );
  const protect = async (planId: string) => {
    const res = await server.call('POST', `${base}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
    expect(res.status).toBe(200);
    const shown = await settled(res.body.checkpoint.id);
    expect(shown.body.checkpoint.status).toBe('available');
    return res.body.checkpoint.id as string;
  };
  const copy = (body: unknown, provider = NOOP) => server.call('POST', copyPath(provider), { body });
  const fault = (code: number, name: string, message: string) => ({ [name]: { code, message } });

  beforeAll(async () => {
    server = await startTestServer({ settings: { KARBOR_NOOP_DELAY_MS: '1500' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('checks, in Karbor order', () => {
    it.each([
      ['no copy key', {}, "'copy' is a required property"],
      ['no plan_id', { copy: {} }, "'plan_id' is a required property"],
      ['an extra key', { copy: { plan_id: UNKNOWN_PLAN, other: 1 } }, "Additional properties are not allowed ('other' was unexpected)"],
      ['null parameters', { copy: { plan_id: UNKNOWN_PLAN, parameters: null } }, "None is not of type 'object'"],
    ])('refuses a body with %s (400)', async (_what, body, text) => {
      // Act
      const res = await copy(body);
      // Assess
      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toContain(text);
    });

    it('refuses a provider id that is not uuid-like, before the plan is read', async () => {
      // Act
      const res = await copy({ copy: { plan_id: UNKNOWN_PLAN } }, 'not-a-uuid');
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual(fault(400, 'badRequest', 'Invalid input received: Invalid provider id provided.'));
    });

    it('answers 404 for a plan the project does not have', async () => {
      // Act
      const res = await copy({ copy: { plan_id: UNKNOWN_PLAN } });
      // Assess
      expect(res.status).toBe(404);
      expect(res.body).toEqual(fault(404, 'itemNotFound', `Plan ${UNKNOWN_PLAN} could not be found.`));
    });

    it("refuses a provider that is not the plan's", async () => {
      // Prepare
      const planId = await createPlan();
      // Act
      const res = await copy({ copy: { plan_id: planId } }, AWS);
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual(fault(400, 'badRequest', 'Invalid input received: The provider id is not the same as the value in the plan.'));
    });

    it('refuses a plan without a checkpoint', async () => {
      // Prepare
      const planId = await createPlan();
      // Act
      const res = await copy({ copy: { plan_id: planId } });
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual(fault(400, 'badRequest', 'Invalid input received: The plan has not been protected.'));
    });

    it('leaves GET on .../checkpoints/action to the checkpoint route, which refuses it as an id', async () => {
      // Act
      const res = await server.call('GET', `${base}/providers/${NOOP}/checkpoints/action`);
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual(fault(400, 'badRequest', 'Invalid checkpoint id provided.'));
    });
  });

  describe('a copy', () => {
    let planId: string;
    let sourceId: string;
    let first: { status: number; body: any };

    beforeAll(async () => {
      planId = await createPlan();
      sourceId = await protect(planId);
      first = await copy({ copy: { plan_id: planId } });
    });

    it("answers Karbor's copy body: the source and its copy, the request's parameters", async () => {
      // Assess
      expect(first.status).toBe(200);
      expect(Object.keys(first.body.copy)).toEqual(['project_id', 'provider_id', 'plan_id', 'checkpoint_id', 'parameters']);
      expect(first.body.copy).toMatchObject({ project_id: P, provider_id: NOOP, plan_id: planId, parameters: {} });
      expect(first.body.copy.checkpoint_id).toEqual([{ checkpoint_protect_id: sourceId, checkpoint_copy_id: expect.any(String) }]);
      expect(first.body.copy.checkpoint_id[0].checkpoint_copy_id).not.toBe(sourceId);
    });

    it('is a checkpoint of the plan that goes wait_copying -> copying -> available, with Karbor extra_info', async () => {
      // Prepare
      const copyId = first.body.copy.checkpoint_id[0].checkpoint_copy_id;
      const seen: string[] = [];
      // Act
      const done = await waitFor(
        () => show(copyId),
        (r) => {
          if (seen.at(-1) !== r.body.checkpoint.status) seen.push(r.body.checkpoint.status);
          return r.body.checkpoint.status === 'available' || r.body.checkpoint.status === 'error';
        },
        { tries: 600, intervalMs: 100 },
      );
      // Assess
      expect(done.body.checkpoint).toMatchObject({ id: copyId, project_id: P, status: 'available', status_reason: null });
      expect(seen).toContain('copying');
      expect(['wait_copying', 'copying', 'available'].filter((s) => seen.includes(s))).toEqual(seen);
      expect(JSON.parse(done.body.checkpoint.extra_info)).toEqual({ source_checkpoint_id: sourceId, destination: NOOP, copy_status: 'finished' });
      expect(done.body.checkpoint.protection_plan.id).toBe(planId);
      const source = await show(sourceId);
      expect(done.body.checkpoint.resource_graph).toBe(source.body.checkpoint.resource_graph);
      const listed = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?plan_id=${planId}`);
      expect(listed.body.checkpoints.map((c: { id: string }) => c.id).sort()).toEqual([sourceId, copyId].sort());
    });

    it('writes one copy operation log that ends with the copy', async () => {
      // Prepare
      const copyId = first.body.copy.checkpoint_id[0].checkpoint_copy_id;
      await settled(copyId);
      // Act
      const res = await server.call('GET', `${base}/operation_logs?checkpoint_id=${copyId}`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.body.operation_logs).toHaveLength(1);
      expect(res.body.operation_logs[0]).toMatchObject({
        operation_type: 'copy',
        checkpoint_id: copyId,
        plan_id: planId,
        provider_id: NOOP,
        status: 'available',
        error_info: null,
      });
      expect(res.body.operation_logs[0].ended_at).not.toBeNull();
    });

    it('copies nothing twice: a second call makes no copy of the source nor of the copy', async () => {
      // Prepare
      await settled(first.body.copy.checkpoint_id[0].checkpoint_copy_id);
      // Act
      const again = await copy({ copy: { plan_id: planId, parameters: { 'OS::Nova::Server': { x: 1 } } } });
      // Assess
      expect(again.status).toBe(200);
      expect(again.body.copy).toMatchObject({ checkpoint_id: [], parameters: { 'OS::Nova::Server': { x: '1' } } });
      const listed = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?plan_id=${planId}`);
      expect(listed.body.checkpoints).toHaveLength(2);
    });

    it('copies a source again once its copy is in error', async () => {
      // Prepare
      const copyId = first.body.copy.checkpoint_id[0].checkpoint_copy_id;
      await settled(copyId);
      expect((await server.call('PUT', `${base}/providers/${NOOP}/checkpoints/${copyId}`, { body: { 'os-resetState': { state: 'error' } } })).status).toBe(200);
      // Act
      const again = await copy({ copy: { plan_id: planId } });
      // Assess
      expect(again.status).toBe(200);
      expect(again.body.copy.checkpoint_id).toEqual([{ checkpoint_protect_id: sourceId, checkpoint_copy_id: expect.any(String) }]);
      const second = again.body.copy.checkpoint_id[0].checkpoint_copy_id;
      expect(second).not.toBe(copyId);
      expect((await settled(second)).body.checkpoint.status).toBe('available');
    });
  });

  describe('quota', () => {
    afterAll(async () => {
      await server.call('DELETE', `${base}/quotas/${P}`);
    });

    it('copies nothing and answers like a checkpoint create over quota when the copies would pass the limit', async () => {
      // Prepare
      const planId = await createPlan();
      await protect(planId);
      const usage = await server.call('GET', `${base}/quotas/${P}/detail`);
      const inUse = usage.body.quota.checkpoints.in_use as number;
      await server.call('PUT', `${base}/quotas/${P}`, { body: { quota: { checkpoints: inUse } } });
      // Act
      const res = await copy({ copy: { plan_id: planId } });
      // Assess
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ overLimit: { code: 413, message: `Maximum number of checkpoints allowed (${inUse}) exceeded`, retryAfter: '0' } });
      const listed = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?plan_id=${planId}`);
      expect(listed.body.checkpoints).toHaveLength(1);
      const after = await server.call('GET', `${base}/quotas/${P}/detail`);
      expect(after.body.quota.checkpoints.in_use).toBe(inUse);
    });
  });
});
