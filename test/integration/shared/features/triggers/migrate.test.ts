import { CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { schedulerSchedules } from '../../../../../shared/features/triggers/adapters/scheduler-schedules';
import { migrateTriggersToScheduler } from '../../../../../shared/features/triggers/migrate';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { DEFAULT_LIMITS } from '../../../../../shared/features/triggers/time-triggers';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { describeMoto, type Moto, startMoto } from '../../../../support/moto';
import { aTrigger } from '../../../../support/triggers';

const GROUP = 'karbor-migrate';
const PREFIX = 'Karbor-trigger-';
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:fire-trigger';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler-invoke';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:fire-trigger-dlq';

describeMoto('migrateTriggersToScheduler: DynamoDB Local triggers to moto EventBridge Scheduler', () => {
  let moto: Moto;
  let scheduler: SchedulerClient;

  beforeAll(async () => {
    moto = await startMoto('us-east-1');
    scheduler = new SchedulerClient(moto.clientConfig);
    await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP }));
  }, 30000);
  afterAll(async () => {
    scheduler?.destroy();
    await moto?.stop();
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
