import { storedSchedules } from '../../infra/local/scheduler';
import { startTestServer, type TestServer } from '../support/local-server';
import { allowOneMinuteTriggers } from '../support/triggers';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

allowOneMinuteTriggers();
jest.setTimeout(120000);

/** Plan + every-minute trigger + scheduled protect in `project`. */
const schedule = async (server: TestServer, project: string) => {
  const plan = await server.call('POST', `/v1/${project}/plans`, {
    body: { plan: { name: 'p', provider_id: NOOP, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }], parameters: {} } },
  });
  const trigger = await server.call('POST', `/v1/${project}/triggers`, {
    body: { trigger_info: { name: 'every minute', type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 50 } } },
  });
  expect(trigger.status).toBe(200);
  const op = await server.call('POST', `/v1/${project}/scheduled_operations`, {
    body: {
      scheduled_operation: {
        name: 'protect every minute',
        operation_type: 'protect',
        trigger_id: trigger.body.trigger_info.id,
        operation_definition: { provider_id: NOOP, plan_id: plan.body.plan.id },
      },
    },
  });
  expect(op.status).toBe(200);
  return { planId: plan.body.plan.id as string, triggerId: trigger.body.trigger_info.id as string, opId: op.body.scheduled_operation.id as string };
};
const runLogs = async (server: TestServer, project: string, opId: string) =>
  ((await server.call('GET', `/v1/${project}/operation_logs`)).body.operation_logs as Array<Record<string, unknown>>).filter(
    // The engine's run logs carry extra_info; the checkpoint's own protect log (docs/contract.md §8.3) has the same operation id and none.
    (l) => l.scheduled_operation_id === opId && l.extra_info !== null,
  );

describe('local scheduler: a one-minute trigger fires the scheduled protect', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('runs once per occurrence when the scheduler fires the same minute twice (injected time)', async () => {
    // Prepare
    const { planId, triggerId, opId } = await schedule(server, 'fastproj');
    expect(server.runtime.scheduler!.rules().find((r) => r.triggerId === triggerId)?.expression).toBe('cron(* * * * ? *)');
    const minute = new Date(Math.ceil(Date.now() / 60000) * 60000);
    // Act
    await server.runtime.scheduler!.fireMinute(minute);
    await server.runtime.scheduler!.fireMinute(minute);
    // Assess
    const logs = (await runLogs(server, 'fastproj', opId)).filter((l) => JSON.parse(String(l.extra_info)).expected_time === minute.toISOString());
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ operation_type: 'protect', plan_id: planId, provider_id: NOOP, status: 'success', error_info: null });
    expect(logs[0].checkpoint_id).toEqual(expect.any(String));
    expect(JSON.parse(String(logs[0].extra_info))).toMatchObject({ trigger_id: triggerId, expected_time: minute.toISOString() });
    // The operation shows that run as its last one, with the log's start time and result.
    const op = (await server.call('GET', `/v1/fastproj/scheduled_operations/${opId}`)).body.scheduled_operation;
    expect(op.last_run).toEqual({ time: logs[0].started_at, status: 'success', operation_log_id: logs[0].id });
    const listed = (await server.call('GET', '/v1/fastproj/scheduled_operations')).body.operations;
    expect(listed.find((o: { id: string }) => o.id === opId).last_run).toEqual(op.last_run);
  });

  it('drops the rule of a trigger once it has ended, and keeps the trigger', async () => {
    // Prepare: a trigger ending in two hours, fired (injected time) at a minute after its end.
    const end = new Date(Date.now() + 2 * 3600_000);
    const created = await server.call('POST', '/v1/endproj/triggers', {
      body: {
        trigger_info: {
          name: 'ends',
          type: 'time',
          properties: { format: 'crontab', pattern: '* * * * *', window: 50, end_time: end.toISOString().slice(0, 19).replace('T', ' ') },
        },
      },
    });
    const triggerId = created.body.trigger_info.id as string;
    const before = server.runtime.scheduler!.rules().some((r) => r.triggerId === triggerId);
    // Act
    await server.runtime.scheduler!.fireMinute(new Date(end.getTime() + 5 * 60_000));
    // Assess
    expect(created.status).toBe(200);
    expect(before).toBe(true);
    expect(server.runtime.scheduler!.rules().some((r) => r.triggerId === triggerId)).toBe(false);
    expect((await server.call('GET', `/v1/endproj/triggers/${triggerId}`)).status).toBe(200);
  });

  it('rebuilds its rules from the stored triggers (a restart keeps them)', async () => {
    const { triggerId } = await schedule(server, 'restartproj');
    // As the runtime rebuilds them at start: with its settings (its table).
    const rebuilt = await server.runtime.host.run(() => storedSchedules());
    expect(rebuilt.find((r) => r.triggerId === triggerId)).toMatchObject({ projectId: 'restartproj', expression: 'cron(* * * * ? *)', windowSeconds: 50 });
  });
});

describe('local scheduler: its own timer', () => {
  let fast: TestServer;
  beforeAll(async () => {
    // Handlers build their ports once per module, as per Lambda instance: this server's table needs fresh modules.
    jest.resetModules();
    fast = await startTestServer({ schedulerMinuteMs: 500 });
  });
  afterAll(async () => {
    await fast.stop();
  });

  it('really fires from its own clock, and the run shows in the operation logs and os-services', async () => {
    // Prepare
    const { opId } = await schedule(fast, 'realproj');
    // Act: wait for the scheduler's own timer to fire a coming minute (a minute lasts 500 ms here)
    let logs: Array<Record<string, unknown>> = [];
    for (let waited = 0; waited < 70000 && !logs.some((l) => l.status === 'success'); waited += 2000) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      logs = await runLogs(fast, 'realproj', opId);
    }
    // No more firings: the runs they would start would outlive the test.
    fast.runtime.scheduler?.stopClock();
    // Assess
    expect(logs.find((l) => l.status === 'success')).toMatchObject({ operation_type: 'protect', scheduled_operation_id: opId, ended_at: expect.any(String) });
    const services = (await fast.call('GET', '/v1/realproj/os-services?binary=karbor-operationengine')).body.services;
    expect(services[0]).toMatchObject({ id: 2, status: 'enabled', state: 'up' });
  });
});
