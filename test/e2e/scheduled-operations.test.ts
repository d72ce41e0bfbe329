import { startTestServer, type TestServer } from '../support/local-server';

const P = 'schedproj';
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const OTHER_PROVIDER = '9b1d0f4e-7a3c-4d2e-9f55-000000000002';
const UNKNOWN = '9b1d0f4e-7a3c-4d2e-9f55-000000000001';
const DAILY = 'BEGIN:VEVENT\nRRULE:FREQ=DAILY;INTERVAL=1;\nEND:VEVENT';

describe('scheduled operations, operation logs and services over HTTP', () => {
  let server: TestServer;
  let triggerId: string;
  let planId: string;
  const createOp = (op: Record<string, unknown>, project = P) =>
    server.call('POST', `/v1/${project}/scheduled_operations`, { body: { scheduled_operation: op } });
  const protect = (extra: Record<string, unknown> = {}) => ({
    name: 'daily protect',
    description: 'protect plan A',
    operation_type: 'retention_protect',
    trigger_id: triggerId,
    operation_definition: { provider_id: NOOP, plan_id: planId, max_backups: 3, retention_duration: 14 },
    ...extra,
  });

  beforeAll(async () => {
    server = await startTestServer();
    const t = await server.call('POST', `/v1/${P}/triggers`, {
      body: { trigger_info: { name: 'd', type: 'time', properties: { format: 'calendar', pattern: DAILY } } },
    });
    triggerId = t.body.trigger_info.id;
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'plan A', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} } },
    });
    expect(plan.status).toBe(200);
    planId = plan.body.plan.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('creates, shows, lists and deletes a scheduled operation; the trigger and plan are in use meanwhile', async () => {
    // Act
    const created = await createOp(protect());
    // Assess
    expect(created.status).toBe(200);
    const op = created.body.scheduled_operation;
    expect(op).toEqual({
      id: expect.any(String),
      name: 'daily protect',
      description: 'protect plan A',
      operation_type: 'retention_protect',
      trigger_id: triggerId,
      operation_definition: { provider_id: NOOP, plan_id: planId, max_backups: '3', retention_duration: '14' },
      enabled: true,
      last_run: null,
      next_run: (await server.call('GET', `/v1/${P}/triggers/${triggerId}`)).body.trigger_info.next_runs[0],
    });
    expect(op.next_run).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(Object.keys(op)).toEqual(['id', 'name', 'description', 'operation_type', 'trigger_id', 'operation_definition', 'enabled', 'last_run', 'next_run']);
    expect((await server.call('GET', `/v1/${P}/scheduled_operations/${op.id}`)).body).toEqual(created.body);
    const list = await server.call('GET', `/v1/${P}/scheduled_operations?limit=1`);
    expect(list.body.operations).toEqual([op]);
    expect(list.body.operations_links[0].href).toContain(`/v1/${P}/scheduled_operations?limit=1&marker=${op.id}`);
    const inUse = await server.call('DELETE', `/v1/${P}/triggers/${triggerId}`);
    expect(inUse.status).toBe(424);
    expect(inUse.body).toEqual({ computeFault: { code: 424, message: 'Trigger is being used by one or more operations' } });
    const planInUse = await server.call('DELETE', `/v1/${P}/plans/${planId}`);
    expect(planInUse.status).toBe(409);
    const deleted = await server.call('DELETE', `/v1/${P}/scheduled_operations/${op.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect((await server.call('GET', `/v1/${P}/scheduled_operations/${op.id}`)).body).toEqual({
      itemNotFound: { code: 404, message: `Scheduled Operation ${op.id} could not be found.` },
    });
  });

  it.each([
    [{ name: undefined }, 400, 'Operation name or type or definition is not provided.'],
    [{ name: '' }, 400, "An invalid 'name' value was provided. The 'name' can not be None."],
    [{ operation_type: 'backup' }, 400, 'Invalid operation type: backup'],
    [{ trigger_id: UNKNOWN }, 404, `Trigger ${UNKNOWN} could not be found.`],
    [{ trigger_id: 'abc' }, 400, "Invalid input for field/attribute trigger_id. Value: abc. 'abc' is not a 'uuid'"],
    [{ operation_definition: { provider_id: NOOP, plan_id: UNKNOWN } }, 404, `Plan ${UNKNOWN} could not be found.`],
    [{ operation_definition: { provider_id: OTHER_PROVIDER, plan_id: 'PLAN' } }, 400, 'Invalid operation definition, reason:Provider_id is conflict'],
    [{ operation_definition: { provider_id: NOOP, plan_id: 'PLAN', max_backups: { n: 1 } } }, 400, undefined],
    [
      { extra: 1 },
      400,
      "Invalid input for field/attribute scheduled_operation. Value: {'name': 'daily protect', 'description': 'protect plan A', 'operation_type': 'retention_protect', 'trigger_id': 'TRIGGER', 'operation_definition': {'provider_id': 'b766f37c-d011-4026-8228-28730d734a3f', 'plan_id': 'PLAN', 'max_backups': 3, 'retention_duration': 14}, 'extra': 1}. Additional properties are not allowed ('extra' was unexpected)",
    ],
  ])('refuses %j', async (change, status, message) => {
    // Prepare
    const body = JSON.parse(JSON.stringify(protect(change)).replace(/"PLAN"/g, JSON.stringify(planId)));
    // Act
    const res = await createOp(body);
    // Assess
    expect(res.status).toBe(status);
    if (message)
      expect(Object.values(res.body as Record<string, { message: string }>)[0].message).toBe(message.replace('TRIGGER', triggerId).replace('PLAN', planId));
  });

  it('refuses an oversize definition with 400', async () => {
    const res = await createOp(protect({ operation_definition: { provider_id: NOOP, plan_id: planId, note: 'x'.repeat(70000) } }));
    expect(res.status).toBe(400);
  });

  it('keeps extra definition keys that name Object members or hold punctuation, and refuses an empty key with 400', async () => {
    // Prepare
    const extra = { constructor: 'c', toString: 't', 'a.b': 'd', '#k': 'h' };
    // Act
    const created = await createOp(protect({ operation_definition: { provider_id: NOOP, plan_id: planId, ...extra } }));
    const shown = await server.call('GET', `/v1/${P}/scheduled_operations/${created.body.scheduled_operation?.id}`);
    const empty = await createOp(protect({ operation_definition: { provider_id: NOOP, plan_id: planId, '': 'v' } }), P);
    // Assess
    expect(created.status).toBe(200);
    expect(shown.body.scheduled_operation.operation_definition).toEqual({ provider_id: NOOP, plan_id: planId, ...extra });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ badRequest: { code: 400, message: 'Request body holds an empty key, which cannot be stored.' } });
    await server.call('DELETE', `/v1/${P}/scheduled_operations/${created.body.scheduled_operation.id}`);
  });

  it("refuses another project's trigger with 400, even for an admin", async () => {
    const res = await createOp(protect(), 'elsewhere');
    expect(res.body).toEqual({ badRequest: { code: 400, message: 'Invalid trigger id provided.' } });
  });

  it('answers ids 400 / 404 and a member of another project 403', async () => {
    const op = (await createOp(protect({ operation_type: 'protect' }))).body.scheduled_operation;
    expect((await server.call('GET', `/v1/${P}/scheduled_operations/nope`)).body).toEqual({
      badRequest: { code: 400, message: 'Invalid operation id provided.' },
    });
    const foreign = await server.call('DELETE', `/v1/other/scheduled_operations/${op.id}`, { token: 'bob:other' });
    expect(foreign.body).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow scheduled_operation:delete to be performed." } });
    expect((await server.call('PUT', `/v1/${P}/scheduled_operations/${op.id}`, { body: { scheduled_operation: { name: 'y' } } })).status).toBe(405);
    await server.call('DELETE', `/v1/${P}/scheduled_operations/${op.id}`);
  });

  it('lists operation logs (empty) and answers ids 400 / 404', async () => {
    expect((await server.call('GET', `/v1/${P}/operation_logs`)).body).toEqual({ operation_logs: [] });
    expect((await server.call('GET', `/v1/${P}/operation_logs/x`)).body).toEqual({ badRequest: { code: 400, message: 'Invalid operation log id provided.' } });
    expect((await server.call('GET', `/v1/${P}/operation_logs/${UNKNOWN}`)).body).toEqual({
      itemNotFound: { code: 404, message: `Operation log ${UNKNOWN} could not be found.` },
    });
  });

  it('lists services for admins only, filters them, and disables / enables the operation engine', async () => {
    // Act
    const list = await server.call('GET', `/v1/${P}/os-services`);
    const member = await server.call('GET', `/v1/${P}/os-services`, { token: `alice:${P}` });
    const filtered = await server.call('GET', `/v1/${P}/os-services?binary=karbor-protection`);
    const protection = await server.call('PUT', `/v1/${P}/os-services/1`, { body: { status: 'disabled' } });
    const unknown = await server.call('PUT', `/v1/${P}/os-services/99999`, { body: { status: 'disabled' } });
    const bad = await server.call('PUT', `/v1/${P}/os-services/2`, { body: { status: 'enabled', disabled_reason: 'x' } });
    const noBody = await server.call('PUT', `/v1/${P}/os-services/2`);
    const disabled = await server.call('PUT', `/v1/${P}/os-services/2`, { body: { status: 'disabled', disabled_reason: 'maintenance' } });
    const enabled = await server.call('PUT', `/v1/${P}/os-services/2`, { body: { status: 'enabled' } });
    // Assess
    expect(list.status).toBe(200);
    expect(list.body.services.map((s: { id: number; binary: string }) => [s.id, s.binary])).toEqual([
      [1, 'karbor-protection'],
      [2, 'karbor-operationengine'],
      [3, 'karbor-api'],
    ]);
    const api = list.body.services[2];
    expect(api).toEqual({
      id: 3,
      binary: 'karbor-api',
      host: 'karbor',
      status: 'enabled',
      state: 'up',
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
      disabled_reason: null,
    });
    expect(member.body).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow service:get_all to be performed." } });
    expect(filtered.body.services.map((s: { id: number }) => s.id)).toEqual([1]);
    expect(protection.body).toEqual({
      badRequest: { code: 400, message: 'Updating a karbor-protection service is not supported. Only karbor-operationengine services can be updated.' },
    });
    expect(unknown.body).toEqual({ itemNotFound: { code: 404, message: 'Service 99999 could not be found.' } });
    expect(bad.body).toEqual({ badRequest: { code: 400, message: "Specifying 'disabled_reason' with status 'enabled' is invalid." } });
    expect(noBody.status).toBe(400);
    expect(disabled.body.service).toMatchObject({ id: 2, binary: 'karbor-operationengine', status: 'disabled', disabled_reason: 'maintenance' });
    expect(enabled.body.service).toMatchObject({ id: 2, status: 'enabled', disabled_reason: null });
  });
});
