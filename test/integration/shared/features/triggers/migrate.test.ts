import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { countRules, eventBridgeRules } from '../../../../../shared/features/triggers/adapters/eventbridge-rules';
import { migratingSchedules } from '../../../../../shared/features/triggers/adapters/migrating-schedules';
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

const schedulesIn = (group: string) =>
  schedulerSchedules({
    client: scheduler,
    targetArn: TARGET,
    roleArn: ROLE,
    group,
    namePrefix: PREFIX,
    deadLetterArn: DLQ,
    clock: { now: () => new Date() },
  });
let scheduler: SchedulerClient;

describeMoto('migrateTriggersToScheduler: DynamoDB Local triggers to moto EventBridge Scheduler', () => {
  let moto: Moto;
  let events: EventBridgeClient;

  beforeAll(async () => {
    moto = await startMoto('us-east-1');
    scheduler = new SchedulerClient(moto.clientConfig);
    events = new EventBridgeClient(moto.clientConfig);
    await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP }));
  }, 30000);
  afterAll(async () => {
    scheduler?.destroy();
    events?.destroy();
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
      scheduler: schedulesIn(GROUP),
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

  it('in migrating mode puts each schedule before it removes the trigger rule, leaving no rule and every schedule', async () => {
    // Prepare: a rules-mode stack's two triggers, each with its rule, and a rule of another stack.
    const group = 'karbor-migrating';
    await scheduler.send(new CreateScheduleGroupCommand({ Name: group }));
    const { doc } = testClients();
    const triggers = dynamoTriggerStore(doc, await createTestTable('migrating'));
    const rules = eventBridgeRules({ client: events, targetArn: TARGET, namePrefix: PREFIX, deadLetterArn: DLQ });
    const others = eventBridgeRules({ client: events, targetArn: TARGET, namePrefix: 'Other-trigger-' });
    const a = aTrigger('proj-a', { name: 'a' });
    const b = aTrigger('proj-b', { name: 'b' });
    for (const t of [a, b]) {
      await triggers.create(t);
      await rules.put({ triggerId: t.id, projectId: t.projectId, expression: 'cron(0 * * * ? *)', windowSeconds: 900, start: new Date() });
    }
    await others.put({ triggerId: a.id, projectId: 'proj-a', expression: 'cron(0 * * * ? *)', windowSeconds: 900, start: new Date() });
    expect(await countRules(events, PREFIX)).toBe(2);
    const migrating = migratingSchedules(schedulesIn(group), rules);
    // Act
    const result = await migrateTriggersToScheduler({ triggers, limits: DEFAULT_LIMITS, scheduler: migrating });
    // Assess: every schedule in the group, no rule of this stack, the other stack's rule untouched.
    expect(result).toEqual({ stored: 2, scheduled: 2, unparsable: [] });
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: group }));
    expect((listed.Schedules ?? []).map((s) => s.Name).sort()).toEqual([`${PREFIX}${a.id}`, `${PREFIX}${b.id}`].sort());
    expect(await countRules(events, PREFIX)).toBe(0);
    expect((await events.send(new ListRulesCommand({ NamePrefix: 'Other-trigger-' }))).Rules).toHaveLength(1);
    // A trigger removed while migrating loses its schedule (and a rule it no longer has is no error).
    await migrating.remove(a.id);
    const after = await scheduler.send(new ListSchedulesCommand({ GroupName: group }));
    expect((after.Schedules ?? []).map((s) => s.Name)).toEqual([`${PREFIX}${b.id}`]);
  }, 30000);
});
