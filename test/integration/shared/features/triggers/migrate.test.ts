import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { schedulerSchedules } from '../../../../../shared/features/triggers/adapters/scheduler-schedules';
import { migrateTriggersToScheduler } from '../../../../../shared/features/triggers/migrate';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { DEFAULT_LIMITS } from '../../../../../shared/features/triggers/time-triggers';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aTrigger } from '../../../../support/triggers';

/** A free loopback port, then `moto_server` on it (test/support/moto.ts may replace this starter). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const startMoto = async (): Promise<{ endpoint: string; proc: ChildProcess }> => {
  const port = await freePort();
  const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return { endpoint, proc };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error('moto_server did not start');
};

const GROUP = 'karbor-migrate';
const PREFIX = 'Karbor-trigger-';
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:fire-trigger';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler-invoke';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:fire-trigger-dlq';

describe('migrateTriggersToScheduler: DynamoDB Local triggers to moto EventBridge Scheduler', () => {
  let moto: { endpoint: string; proc: ChildProcess };
  let scheduler: SchedulerClient;

  beforeAll(async () => {
    moto = await startMoto();
    scheduler = new SchedulerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP }));
  }, 30000);
  afterAll(() => {
    scheduler?.destroy();
    moto?.proc.kill();
  });

  it('puts one schedule per stored trigger of every project, the same on a second run, and names the unparsable ones', async () => {
    // Prepare
    const { doc } = testClients();
    const table = await createTestTable('migrate');
    const triggers = dynamoTriggerStore(doc, table);
    const hourly = aTrigger('proj-a', { name: 'hourly' });
    const daily = aTrigger('proj-b', { name: 'daily', properties: { format: 'crontab', pattern: '30 2 * * *', start_time: '2026-01-01 00:00:00' } });
    const broken = aTrigger('proj-b', { name: 'broken', properties: { format: 'crontab', pattern: 'not a cron' } });
    for (const t of [hourly, daily, broken]) await triggers.create(t);
    const deps = {
      triggers,
      limits: DEFAULT_LIMITS,
      scheduler: schedulerSchedules({
        client: scheduler,
        targetArn: TARGET,
        roleArn: ROLE,
        group: GROUP,
        namePrefix: PREFIX,
        deadLetterArn: DLQ,
        clock: { now: () => new Date() },
      }),
    };
    // Act
    const first = await migrateTriggersToScheduler(deps);
    const second = await migrateTriggersToScheduler(deps);
    // Assess
    expect(first).toEqual({ stored: 3, scheduled: 2, unparsable: [broken.id] });
    expect(second).toEqual(first);
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: GROUP }));
    expect((listed.Schedules ?? []).map((s) => s.Name).sort()).toEqual([`${PREFIX}${hourly.id}`, `${PREFIX}${daily.id}`].sort());
    const got = await scheduler.send(new GetScheduleCommand({ GroupName: GROUP, Name: `${PREFIX}${daily.id}` }));
    expect(got.ScheduleExpression).toBe('cron(30 2 * * ? *)');
    expect(got.Target).toMatchObject({ Arn: TARGET, RoleArn: ROLE, DeadLetterConfig: { Arn: DLQ } });
    expect(JSON.parse(got.Target!.Input!.replace('<aws.scheduler.scheduled-time>', 'T'))).toEqual({ trigger_id: daily.id, project_id: 'proj-b', time: 'T' });
  }, 30000);
});
