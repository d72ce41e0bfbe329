import { karbor, describeCli, tableRows } from '../../support/karbor-cli';
import { startTestServer, type TestServer } from '../../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PROJECT = 'clitrig';
/** Each test runs several CLI processes; a loaded CI machine needs the room. */
jest.setTimeout(180000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The value column of a `karbor *-show` / `*-create` property table. */
const field = (stdout: string, name: string): string | undefined => tableRows(stdout).find((r) => r[0] === name)?.[1];

describeCli('karbor CLI: triggers, scheduled operations, operation logs, services', () => {
  let server: TestServer;
  const cli = (args: string[], user = 'admin') => karbor(server.url, PROJECT, args, user);
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('trigger-create, -show, -list, -update and -delete', async () => {
    // Act
    const created = await cli(['trigger-create', 'nightly', 'time', 'format=crontab,pattern=0 3 * * *,window=900']);
    // Assess
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const id = field(created.stdout, 'id')!;
    expect(id).toMatch(UUID);
    expect(created.stdout).toContain('0 3 * * *');
    const shown = await cli(['trigger-show', id]);
    expect(field(shown.stdout, 'name')).toBe('nightly');
    const list = await cli(['trigger-list']);
    expect(tableRows(list.stdout)[0]).toEqual(['Id', 'Name', 'Type', 'Properties']);
    expect(
      tableRows(list.stdout)
        .slice(1)
        .map((r) => r[0]),
    ).toContain(id);
    const renamed = await cli(['trigger-update', '--name', 'nightly-2', id]);
    expect(renamed.status).toBe(0);
    expect(field(renamed.stdout, 'name')).toBe('nightly-2');
    const reprop = await cli(['trigger-update', '--properties', 'format=crontab,pattern=30 4 * * *,start_time=2026-01-01 00:00:00', id]);
    expect(reprop.status).toBe(0);
    expect(reprop.stdout).toContain('30 4 * * *');
    const deleted = await cli(['trigger-delete', id]);
    expect(deleted.status).toBe(0);
    expect((await cli(['trigger-show', id])).stderr).toContain(`Trigger ${id} could not be found.`);
  });

  it("trigger-create with an invalid window prints Karbor's message", async () => {
    const out = await cli(['trigger-create', 't', 'time', 'format=crontab,pattern=0 3 * * *,window=10']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('The trigger windows 10 must be between 900 and 1800');
  });

  it('scheduledoperation-create/-show/-list/-delete; trigger-delete refuses while in use', async () => {
    // Prepare
    const plan = await server.call('POST', `/v1/${PROJECT}/plans`, {
      body: { plan: { name: 'p', provider_id: NOOP, resources: [{ id: PROJECT, type: 'OS::Keystone::Project', name: PROJECT }], parameters: {} } },
    });
    const planId = plan.body.plan.id;
    const trigger = await cli(['trigger-create', 'daily', 'time', 'format=crontab,pattern=0 1 * * *']);
    const triggerId = field(trigger.stdout, 'id')!;
    // Act
    const created = await cli([
      'scheduledoperation-create',
      'nightly protect',
      'retention_protect',
      triggerId,
      `provider_id=${NOOP},plan_id=${planId},max_backups=3`,
    ]);
    // Assess
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const opId = field(created.stdout, 'id')!;
    expect(opId).toMatch(UUID);
    expect(field(created.stdout, 'operation_type')).toBe('retention_protect');
    expect((await cli(['scheduledoperation-show', opId])).stdout).toContain(planId);
    const list = await cli(['scheduledoperation-list']);
    expect(list.status).toBe(0);
    expect(
      tableRows(list.stdout)
        .slice(1)
        .map((r) => r[0]),
    ).toContain(opId);
    const inUse = await cli(['trigger-delete', triggerId]);
    expect(inUse.status).not.toBe(0);
    expect(inUse.stdout + inUse.stderr).toContain('Trigger is being used by one or more operations');
    const deleted = await cli(['scheduledoperation-delete', opId]);
    expect(deleted.status).toBe(0);
    expect((await cli(['trigger-delete', triggerId])).status).toBe(0);
  });

  it('operationlog-list and -show print the runs of the operation engine', async () => {
    // Prepare: a run through the local scheduler
    const plan = await server.call('POST', `/v1/${PROJECT}/plans`, {
      body: { plan: { name: 'p2', provider_id: NOOP, resources: [{ id: PROJECT, type: 'OS::Keystone::Project', name: PROJECT }], parameters: {} } },
    });
    const trigger = await server.call('POST', `/v1/${PROJECT}/triggers`, {
      body: { trigger_info: { name: 'hourly', type: 'time', properties: { format: 'crontab', pattern: '0 * * * *' } } },
    });
    await server.call('POST', `/v1/${PROJECT}/scheduled_operations`, {
      body: {
        scheduled_operation: {
          name: 'o',
          operation_type: 'protect',
          trigger_id: trigger.body.trigger_info.id,
          operation_definition: { provider_id: NOOP, plan_id: plan.body.plan.id },
        },
      },
    });
    const nextHour = new Date(Math.ceil(Date.now() / 3600000) * 3600000);
    await server.runtime.scheduler!.fireMinute(nextHour);
    // Act
    const list = await cli(['operationlog-list']);
    // Assess
    expect(list.stderr).toBe('');
    expect(list.status).toBe(0);
    const rows = tableRows(list.stdout);
    expect(rows.length).toBeGreaterThan(1);
    const status = rows[0].indexOf('Status');
    // The engine's run log (success); the protection feature adds the checkpoint's own log.
    const logId = rows.slice(1).find((r) => r[status] === 'success')![0];
    expect(logId).toMatch(UUID);
    const shown = await cli(['operationlog-show', logId]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(plan.body.plan.id);
    const bySuccess = await cli(['operationlog-list', '--status', 'success']);
    expect(
      tableRows(bySuccess.stdout)
        .slice(1)
        .map((r) => r[0]),
    ).toContain(logId);
  });

  it('service-list, service-disable and service-enable (admin only)', async () => {
    const list = await cli(['service-list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('karbor-operationengine');
    expect(list.stdout).toContain('karbor-protection');
    const disabled = await cli(['service-disable', '--reason', 'maintenance', '2']);
    expect(disabled.status).toBe(0);
    expect(disabled.stdout).toContain('maintenance');
    expect(disabled.stdout).toContain('disabled');
    const enabled = await cli(['service-enable', '2']);
    expect(enabled.status).toBe(0);
    expect(enabled.stdout).toContain('enabled');
    const member = await cli(['service-list'], 'alice');
    expect(member.status).not.toBe(0);
    expect(member.stderr).toContain("Policy doesn't allow service:get_all to be performed.");
  });
});
