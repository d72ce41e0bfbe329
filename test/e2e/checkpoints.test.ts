import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const UNKNOWN = '9b1d0f4e-7a3c-4d2e-9f55-000000000001';
const P = 'ckproj';
const base = `/v1/${P}`;

describe('checkpoints and restores over HTTP (No-Op provider)', () => {
  let server: TestServer;
  let planId: string;
  const createPlan = async (project = P, provider = NOOP) => {
    const res = await server.call('POST', `/v1/${project}/plans`, {
      body: {
        plan: {
          name: 'plan A2',
          provider_id: provider,
          parameters: {},
          resources: [
            { id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1' },
            { id: '66666666-7777-8888-9999-000000000000', type: 'OS::Cinder::Volume', name: 'vol1', extra_info: { availability_zone: 'az1' } },
          ],
        },
      },
    });
    expect(res.status).toBe(200);
    return res.body.plan.id as string;
  };
  const showCheckpoint = (id: string, provider = NOOP) => server.call('GET', `${base}/providers/${provider}/checkpoints/${id}`);
  const createCheckpoint = async (body: unknown = { checkpoint: { plan_id: planId } }) =>
    server.call('POST', `${base}/providers/${NOOP}/checkpoints`, { body });

  beforeAll(async () => {
    server = await startTestServer();
    planId = await createPlan();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("creates a checkpoint as protecting, with Karbor's create view", async () => {
    // Act
    const res = await createCheckpoint({ checkpoint: { plan_id: planId, 'extra-info': null } });
    // Assess
    expect(res.status).toBe(200);
    const c = res.body.checkpoint;
    expect(Object.keys(c)).toEqual(['id', 'project_id', 'status', 'protection_plan', 'resource_graph', 'created_at', 'extra_info']);
    expect(c).toMatchObject({ project_id: P, status: 'protecting', resource_graph: null, created_at: null, extra_info: '{"created_by": "manual"}' });
    expect(c.protection_plan).toEqual({
      id: planId,
      name: 'plan A2',
      resources: [
        { id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1', extra_info: null },
        { id: '66666666-7777-8888-9999-000000000000', type: 'OS::Cinder::Volume', name: 'vol1', extra_info: '{"availability_zone": "az1"}' },
      ],
    });
  });

  it('the worker reports the karbor-protection service row, which shows up', async () => {
    // Prepare
    const id = (await createCheckpoint()).body.checkpoint.id;
    await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status !== 'protecting',
    );
    // Act
    const res = await server.call('GET', `${base}/os-services?binary=karbor-protection`);
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.services).toHaveLength(1);
    expect(res.body.services[0]).toMatchObject({ id: 1, binary: 'karbor-protection', state: 'up' });
    expect(res.body.services[0].updated_at).not.toBeNull();
  });

  it('the worker makes the checkpoint available, with its resource graph and date', async () => {
    // Prepare
    const id = (await createCheckpoint()).body.checkpoint.id;
    // Act
    const shown = await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status !== 'protecting',
    );
    // Assess
    expect(shown.status).toBe(200);
    const c = shown.body.checkpoint;
    expect(c.status).toBe('available');
    expect(c.created_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(c.protection_plan.provider_id).toBe(NOOP);
    const [nodes, adjacency] = JSON.parse(c.resource_graph);
    expect(Object.values(nodes)).toEqual(
      expect.arrayContaining([
        ['OS::Nova::Server', '11111111-2222-3333-4444-555555555555', 'vm1', null],
        ['OS::Cinder::Volume', '66666666-7777-8888-9999-000000000000', 'vol1', '{"availability_zone": "az1"}'],
      ]),
    );
    expect(adjacency).toEqual([]);
    // Ours, after Karbor's keys: each resource's status, no failure, all done, no lock.
    expect(Object.keys(c).slice(7)).toEqual(['resources_status', 'resources_reason', 'status_reason', 'progress', 'lock', 'legal_hold']);
    expect(c.lock).toBeNull();
    expect(c.legal_hold).toBe(false);
    expect(c.resources_status).toEqual({
      'OS::Nova::Server#11111111-2222-3333-4444-555555555555': 'available',
      'OS::Cinder::Volume#66666666-7777-8888-9999-000000000000': 'available',
    });
    expect(c.status_reason).toBeNull();
    expect(c.progress).toEqual({ resources_total: 2, resources_done: 2, resources_failed: 0, percent: 100 });
  });

  it('honours extra_info (docs/decisions.md §3)', async () => {
    // Act
    const res = await createCheckpoint({ checkpoint: { plan_id: planId, extra_info: { k: 'v' } } });
    // Assess
    expect(res.body.checkpoint.extra_info).toBe('{"created_by": "manual", "k": "v"}');
  });

  it('refuses an unknown plan (404), a plan of another provider (400) and bad bodies (400)', async () => {
    // Act
    const unknown = await createCheckpoint({ checkpoint: { plan_id: UNKNOWN } });
    const otherProvider = await server.call('POST', `${base}/providers/${UNKNOWN}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
    const badId = await createCheckpoint({ checkpoint: { plan_id: 'abc' } });
    const extra = await createCheckpoint({ checkpoint: { plan_id: planId, foo: 1 } });
    const none = await server.call('POST', `${base}/providers/${NOOP}/checkpoints`);
    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.body.itemNotFound.message).toBe(`Plan ${UNKNOWN} could not be found.`);
    expect(otherProvider.status).toBe(400);
    expect(otherProvider.body.badRequest.message).toBe('Invalid plan: The parameter provider_id is not the same as the value in the plan.');
    expect(badId.body.badRequest.message).toBe("Invalid input for field/attribute plan_id. Value: abc. 'abc' is not a 'uuid'");
    expect(extra.status).toBe(400);
    expect(none.status).toBe(400);
  });

  it('answers 400, not 500, for oversized extra info and restore parameters', async () => {
    // Act
    const big = 'x'.repeat(70 * 1024);
    const checkpoint = await createCheckpoint({ checkpoint: { plan_id: planId, 'extra-info': { big } } });
    const restore = await server.call('POST', `${base}/restores`, {
      body: { restore: { provider_id: NOOP, checkpoint_id: UNKNOWN, parameters: { 'OS::Nova::Server': { big } } } },
    });
    // Assess
    expect(checkpoint.status).toBe(400);
    expect(checkpoint.body.badRequest.message).toBe('Invalid input received: extra_info is larger than 65536 bytes.');
    expect(restore.status).toBe(400);
  });

  it("does not find another project's plan (404)", async () => {
    // Prepare
    const foreignPlan = await createPlan('other');
    // Act
    const res = await createCheckpoint({ checkpoint: { plan_id: foreignPlan } });
    // Assess
    expect(res.status).toBe(404);
  });

  it('lists newest first with limit, marker and next links on the real path', async () => {
    // Prepare
    const plan = await createPlan();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await createCheckpoint({ checkpoint: { plan_id: plan } })).body.checkpoint.id);
    // Act
    const page1 = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?plan_id=${plan}&limit=2`);
    const page2 = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?plan_id=${plan}&limit=2&marker=${ids[1]}`);
    const asc = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?plan_id=${plan}&sort=created_at:asc`);
    // Assess
    expect(page1.body.checkpoints.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(page1.body.checkpoints_links[0].href).toContain(`/v1/${P}/providers/${NOOP}/checkpoints?`);
    expect(page1.body.checkpoints_links[0].href).toContain(`marker=${ids[1]}`);
    expect(page2.body.checkpoints.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(page2.body.checkpoints_links).toBeUndefined();
    expect(asc.body.checkpoints.map((c: { id: string }) => c.id)).toEqual(ids);
  });

  it('filters by date and answers 400 for a malformed date and 404 for an unknown provider or marker', async () => {
    // Act
    const today = new Date().toISOString().slice(0, 10);
    const inRange = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?start_date=${today}&end_date=${today}`);
    const before = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?start_date=2000-01-01&end_date=2000-01-02`);
    const bad = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?start_date=bad`);
    // A range that ends before it starts (an end_date defaults to today) holds nothing, for a project and for all of them.
    const reversed = await Promise.all(
      ['start_date=9999-12-31', 'start_date=2026-01-01&end_date=2025-01-01', 'all_tenants=true&start_date=9999-12-31'].map((q) =>
        server.call('GET', `${base}/providers/${NOOP}/checkpoints?${q}`),
      ),
    );
    const provider = await server.call('GET', `${base}/providers/${UNKNOWN}/checkpoints`);
    const marker = await server.call('GET', `${base}/providers/${NOOP}/checkpoints?marker=${UNKNOWN}`);
    // Assess
    expect(inRange.body.checkpoints.length).toBeGreaterThan(0);
    expect(before.body.checkpoints).toEqual([]);
    expect(bad.status).toBe(400);
    expect(reversed.map((r) => [r.status, r.body.checkpoints])).toEqual([
      [200, []],
      [200, []],
      [200, []],
    ]);
    expect(provider.status).toBe(404);
    expect(provider.body.itemNotFound.message).toBe(`Provider ${UNKNOWN} could not be found.`);
    expect(marker.status).toBe(404);
  });

  it("shows with Karbor's 400/404/403 answers", async () => {
    // Prepare
    const id = (await createCheckpoint()).body.checkpoint.id;
    // Act
    const badId = await server.call('GET', `${base}/providers/${NOOP}/checkpoints/not-a-uuid`);
    const badProvider = await server.call('GET', `${base}/providers/nope/checkpoints/${id}`);
    const unknown = await showCheckpoint(UNKNOWN);
    const otherProvider = await showCheckpoint(id, AWS);
    const member = await server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${id}`, { token: `alice:${P}` });
    const foreign = await server.call('GET', `/v1/other/providers/${NOOP}/checkpoints/${id}`, { token: 'bob:other' });
    // Assess
    expect(badId.body.badRequest.message).toBe('Invalid checkpoint id provided.');
    expect(badProvider.body.badRequest.message).toBe('Invalid provider id provided.');
    expect(unknown.body.itemNotFound.message).toBe(`Checkpoint ${UNKNOWN} could not be found.`);
    expect(otherProvider.status).toBe(404);
    expect(member.status).toBe(200);
    expect(foreign.status).toBe(403);
    expect(foreign.body.forbidden.message).toBe(`Access checkpoint ${id} is not allowed`);
  });

  it('deletes through deleting to deleted: still shown, no longer listed, not deletable again', async () => {
    // Prepare
    const id = (await createCheckpoint()).body.checkpoint.id;
    await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status === 'available',
    );
    // Act
    const del = await server.call('DELETE', `${base}/providers/${NOOP}/checkpoints/${id}`);
    const gone = await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status === 'deleted',
    );
    const list = await server.call('GET', `${base}/providers/${NOOP}/checkpoints`);
    const again = await server.call('DELETE', `${base}/providers/${NOOP}/checkpoints/${id}`);
    // Assess
    expect(del.status).toBe(200);
    expect(del.body).toEqual({});
    expect(gone.body.checkpoint.status).toBe('deleted');
    expect(list.body.checkpoints.map((c: { id: string }) => c.id)).not.toContain(id);
    expect(again.status).toBe(400);
    expect(again.body.badRequest.message).toBe(`The checkpoint ${id} can not be deleted.`);
  });

  it('resets state (admin only, resettable statuses only)', async () => {
    // Prepare
    const id = (await createCheckpoint()).body.checkpoint.id;
    await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status === 'available',
    );
    const path = `${base}/providers/${NOOP}/checkpoints/${id}`;
    // Act
    const member = await server.call('PUT', path, { token: `alice:${P}`, body: { 'os-resetState': { state: 'error' } } });
    const bad = await server.call('PUT', path, { body: { 'os-resetState': { state: 'deleted' } } });
    const reset = await server.call('PUT', path, { body: { 'os-resetState': { state: 'error' } } });
    const shown = await showCheckpoint(id);
    // Assess
    expect(member.status).toBe(403);
    expect(bad.body.badRequest.message).toBe("Invalid input for field/attribute state. Value: deleted. 'deleted' is not one of ['available', 'error']");
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({});
    expect(shown.body.checkpoint.status).toBe('error');
  });

  it('writes operation logs: protect (protecting -> available) and delete (deleting -> deleted)', async () => {
    // Prepare
    const id = (await createCheckpoint()).body.checkpoint.id;
    await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status === 'available',
    );
    await server.call('DELETE', `${base}/providers/${NOOP}/checkpoints/${id}`);
    await waitFor(
      () => showCheckpoint(id),
      (r) => r.body.checkpoint.status === 'deleted',
    );
    // Act
    const logs = await server.call('GET', `${base}/operation_logs?checkpoint_id=${id}`);
    // Assess
    expect(logs.status).toBe(200);
    const byType = Object.fromEntries(logs.body.operation_logs.map((l: { operation_type: string }) => [l.operation_type, l]));
    expect(byType.protect).toMatchObject({ checkpoint_id: id, plan_id: planId, provider_id: NOOP, restore_id: null, status: 'available' });
    expect(byType.protect.ended_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(byType.delete).toMatchObject({ checkpoint_id: id, status: 'deleted' });
  });

  describe('restores', () => {
    let checkpointId: string;
    beforeAll(async () => {
      checkpointId = (await createCheckpoint()).body.checkpoint.id;
      await waitFor(
        () => showCheckpoint(checkpointId),
        (r) => r.body.checkpoint.status === 'available',
      );
    });
    const restore = (body: Record<string, unknown>, token?: string) =>
      server.call('POST', `${base}/restores`, { body: { restore: body }, ...(token ? { token } : {}) });

    it('creates in_progress and the worker finishes with success; restore_auth is never shown', async () => {
      // Act
      const res = await restore({
        provider_id: NOOP,
        checkpoint_id: checkpointId,
        restore_target: 'http://192.168.1.2/identity/',
        restore_auth: { type: 'password', username: 'admin', password: 'secret' },
        parameters: {},
      });
      const id = res.body.restore.id;
      const done = await waitFor(
        () => server.call('GET', `${base}/restores/${id}`),
        (r) => r.body.restore.status !== 'in_progress',
      );
      // Assess
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.restore)).toEqual([
        'id',
        'project_id',
        'provider_id',
        'checkpoint_id',
        'restore_target',
        'parameters',
        'status',
        'resources_status',
        'resources_reason',
        'status_reason',
        'progress',
        'restored_as',
      ]);
      expect(res.body.restore).toMatchObject({ status: 'in_progress', restore_target: 'http://192.168.1.2/identity/', parameters: {}, restored_as: {} });
      expect(res.text).not.toContain('secret');
      expect(done.body.restore).toMatchObject({ status: 'success', resources_status: {}, resources_reason: {}, restored_as: {} });
      expect(done.text).not.toContain('secret');
    });

    it('logs the restore: in_progress -> success', async () => {
      // Prepare
      const res = await restore({ provider_id: NOOP, checkpoint_id: checkpointId, parameters: {} });
      const id = res.body.restore.id;
      await waitFor(
        () => server.call('GET', `${base}/restores/${id}`),
        (r) => r.body.restore.status !== 'in_progress',
      );
      // Act
      const logs = await server.call('GET', `${base}/operation_logs?restore_id=${id}`);
      // Assess
      expect(logs.body.operation_logs).toHaveLength(1);
      expect(logs.body.operation_logs[0]).toMatchObject({
        operation_type: 'restore',
        restore_id: id,
        checkpoint_id: checkpointId,
        plan_id: null,
        status: 'success',
      });
    });

    it("answers 200 fail for an unknown checkpoint or bad parameters, 403 with no row for another project's checkpoint", async () => {
      // Act
      const unknown = await restore({ provider_id: NOOP, checkpoint_id: UNKNOWN, parameters: {} });
      const params = await restore({ provider_id: NOOP, checkpoint_id: checkpointId, parameters: { 'OS::Nova::Server': { x: 1 } } });
      const foreign = await server.call('POST', '/v1/other/restores', {
        token: 'bob:other',
        body: { restore: { provider_id: NOOP, checkpoint_id: checkpointId, parameters: {} } },
      });
      const otherList = await server.call('GET', '/v1/other/restores', { token: 'bob:other' });
      // Assess
      expect(unknown.status).toBe(200);
      expect(unknown.body.restore.status).toBe('fail');
      expect(params.body.restore.status).toBe('fail');
      expect(params.body.restore.parameters).toEqual({ 'OS::Nova::Server': { x: '1' } });
      expect(foreign.status).toBe(403);
      expect(foreign.body.forbidden.message).toBe(`Access checkpoint ${checkpointId} is not allowed`);
      expect(otherList.body.restores).toEqual([]);
    });

    it("refuses a restore without parameters (400) and shows Karbor's id answers", async () => {
      // Act
      const missing = await restore({ provider_id: NOOP, checkpoint_id: checkpointId });
      const badId = await server.call('GET', `${base}/restores/not-a-uuid`);
      const unknown = await server.call('GET', `${base}/restores/${UNKNOWN}`);
      // Assess
      expect(missing.status).toBe(400);
      expect(missing.body.badRequest.message).toContain("'parameters' is a required property");
      expect(missing.body.badRequest.message).toContain('Invalid input for field/attribute restore.');
      const withAuth = await restore({ provider_id: NOOP, checkpoint_id: checkpointId, restore_auth: { type: 'password', password: 'hunter2' } });
      expect(withAuth.status).toBe(400);
      expect(withAuth.text).not.toContain('hunter2');
      expect(withAuth.body.badRequest.message).toContain("'password': '***'");
      expect(badId.body.badRequest.message).toBe('Invalid restore id provided.');
      expect(unknown.body.itemNotFound.message).toBe(`Restore ${UNKNOWN} could not be found.`);
    });

    it('lists newest first, filters by status, pages with limit and marker', async () => {
      // Act
      const all = await server.call('GET', `${base}/restores`);
      const failed = await server.call('GET', `${base}/restores?status=fail`);
      const page = await server.call('GET', `${base}/restores?limit=1`);
      const next = await server.call('GET', `${base}/restores?limit=1&marker=${page.body.restores[0].id}`);
      // Assess
      const ids = all.body.restores.map((r: { id: string }) => r.id);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      expect(failed.body.restores.every((r: { status: string }) => r.status === 'fail')).toBe(true);
      expect(failed.body.restores.length).toBeGreaterThanOrEqual(2);
      expect(page.body.restores.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
      expect(page.body.restores_links[0].href).toContain(`/v1/${P}/restores?limit=1&marker=${ids[0]}`);
      expect(next.body.restores.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    });
  });

  describe('verifications', () => {
    let checkpointId: string;
    beforeAll(async () => {
      checkpointId = (await createCheckpoint()).body.checkpoint.id;
      await waitFor(
        () => showCheckpoint(checkpointId),
        (r) => r.body.checkpoint.status === 'available',
      );
    });
    const verify = (body: Record<string, unknown>, project = P, token?: string) =>
      server.call('POST', `/v1/${project}/verifications`, { body: { verification: body }, ...(token ? { token } : {}) });

    const [VM, VOLUME] = ['11111111-2222-3333-4444-555555555555', '66666666-7777-8888-9999-000000000000'];
    const NOTHING = 'nothing to check: the No-Op plugin keeps no data; bank objects match their digests';

    it("runs a No-Op checkpoint's verification to success (nothing to check) with Karbor's view, and logs verify", async () => {
      // Act
      const res = await verify({ provider_id: NOOP, checkpoint_id: checkpointId });
      const shown = await waitFor(
        () => server.call('GET', `${base}/verifications/${res.body.verification.id}`),
        (r) => r.body.verification.status !== 'in_progress',
      );
      const logs = await server.call('GET', `${base}/operation_logs?checkpoint_id=${checkpointId}`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.body.verification).toMatchObject({ project_id: P, provider_id: NOOP, checkpoint_id: checkpointId, parameters: {}, status: 'in_progress' });
      expect(shown.body.verification).toEqual({
        id: res.body.verification.id,
        project_id: P,
        provider_id: NOOP,
        checkpoint_id: checkpointId,
        parameters: {},
        status: 'success',
        resources_status: { [`OS::Nova::Server#${VM}`]: 'success', [`OS::Cinder::Volume#${VOLUME}`]: 'success' },
        resources_reason: { [`OS::Nova::Server#${VM}`]: NOTHING, [`OS::Cinder::Volume#${VOLUME}`]: NOTHING },
        // Ours: why it failed and how far it got.
        status_reason: null,
        progress: { resources_total: 2, resources_done: 2, resources_failed: 0, percent: 100 },
      });
      const verifyLog = logs.body.operation_logs.find((l: { operation_type: string }) => l.operation_type === 'verify');
      expect(verifyLog).toMatchObject({ status: 'success', checkpoint_id: checkpointId });
      expect(verifyLog.ended_at).not.toBeNull();
    });

    it("fails parameters the provider's verify_schema does not declare, with Karbor's messages", async () => {
      // Act
      const badKey = await verify({ provider_id: NOOP, checkpoint_id: checkpointId, parameters: { 'OS::Nope::Thing': {} } });
      const badProperty = await verify({ provider_id: NOOP, checkpoint_id: checkpointId, parameters: { 'OS::Nova::Server': { depth: 'full' } } });
      // Assess
      expect(badKey.body.verification).toMatchObject({ status: 'fail', status_reason: 'The key of verify parameters is invalid.' });
      expect(badProperty.body.verification).toMatchObject({ status: 'fail', status_reason: 'The verify property of verify parameters is invalid.' });
    });

    it("refuses another project's checkpoint (403, no row) and answers Karbor's id errors", async () => {
      // Act
      const foreign = await verify({ provider_id: NOOP, checkpoint_id: checkpointId }, 'other', 'bob:other');
      const list = await server.call('GET', '/v1/other/verifications', { token: 'bob:other' });
      const badId = await server.call('GET', `${base}/verifications/nope`);
      const unknown = await server.call('GET', `${base}/verifications/${UNKNOWN}`);
      const badBody = await verify({ provider_id: 'x', checkpoint_id: checkpointId });
      // Assess
      expect(foreign.status).toBe(403);
      expect(list.body.verifications).toEqual([]);
      expect(badId.body.badRequest.message).toBe('Invalid verification id provided.');
      expect(unknown.body.itemNotFound.message).toBe(`Verification ${UNKNOWN} could not be found.`);
      expect(badBody.status).toBe(400);
    });

    it('lists newest first with links', async () => {
      // Prepare
      await verify({ provider_id: NOOP, checkpoint_id: checkpointId, parameters: { 'OS::Nova::Server': { x: 1 } } });
      // Act
      const page = await server.call('GET', `${base}/verifications?limit=1`);
      // Assess
      expect(page.body.verifications).toHaveLength(1);
      expect(page.body.verifications[0].parameters).toEqual({ 'OS::Nova::Server': { x: '1' } });
      expect(page.body.verifications_links[0].href).toContain(`/v1/${P}/verifications?limit=1&marker=`);
    });
  });
});
