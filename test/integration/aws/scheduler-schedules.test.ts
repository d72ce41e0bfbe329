import { CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { TRIGGER_RETRY_POLICY } from '../../../shared/features/triggers/adapters/eventbridge-rules';
import { schedulerSchedules } from '../../../shared/features/triggers/adapters/scheduler-schedules';
import { describeMoto, useMoto } from '../../support/moto';

const [GROUP, PREFIX] = ['karbor-prod', 'prod-trigger-'];
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:fire-trigger';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler-invoke';
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:trigger-dlq';
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const NOW = new Date('2029-06-01T00:00:00Z');

describeMoto('EventBridge Scheduler schedules trigger adapter against moto_server', () => {
  const aws = useMoto((config) => new SchedulerClient(config));
  beforeAll(() => aws.client.send(new CreateScheduleGroupCommand({ Name: GROUP })));
  const adapter = () =>
    schedulerSchedules({ client: aws.client, targetArn: ARN, roleArn: ROLE, group: GROUP, namePrefix: PREFIX, deadLetterArn: DLQ, clock: { now: () => NOW } });
  const inGroup = async () => ((await aws.client.send(new ListSchedulesCommand({ GroupName: GROUP }))).Schedules ?? []).map((s) => s.Name).sort();

  it('creates a schedule in the group with the flexible window, dates and fire-trigger payload, then replaces it', async () => {
    // Act
    const schedule = {
      triggerId: T1,
      projectId: 'p1',
      expression: 'cron(0 3 * * ? *)',
      windowSeconds: 1200,
      start: new Date('2030-01-01T00:00:00Z'),
      end: new Date('2031-01-01T00:00:00Z'),
    };
    await adapter().put(schedule);
    // Assess
    const created = await aws.client.send(new GetScheduleCommand({ Name: `${PREFIX}${T1}`, GroupName: GROUP }));
    expect(created).toMatchObject({
      GroupName: GROUP,
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 20 },
      StartDate: new Date('2030-01-01T00:00:00Z'),
      EndDate: new Date('2031-01-01T00:00:00Z'),
      State: 'ENABLED',
      Description: `Karbor time trigger ${T1} of project p1`,
      Target: { Arn: ARN, RoleArn: ROLE, RetryPolicy: TRIGGER_RETRY_POLICY, DeadLetterConfig: { Arn: DLQ } },
    });
    // Scheduler puts the scheduled time in place of its placeholder: what fire-trigger then reads.
    expect(JSON.parse(created.Target!.Input!.replace('<aws.scheduler.scheduled-time>', '2030-01-01T03:00:00Z'))).toEqual({
      trigger_id: T1,
      project_id: 'p1',
      time: '2030-01-01T03:00:00Z',
    });

    // Act: a second put of the same trigger (a modified trigger) updates it; a window under a minute turns flexibility off, a past start is left out
    await adapter().put({ ...schedule, expression: 'cron(30 4 * * ? *)', windowSeconds: 30, start: new Date('2020-01-01T00:00:00Z'), end: undefined });
    // Assess
    const updated = await aws.client.send(new GetScheduleCommand({ Name: `${PREFIX}${T1}`, GroupName: GROUP }));
    expect(updated).toMatchObject({ ScheduleExpression: 'cron(30 4 * * ? *)', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(updated.StartDate).toBeUndefined();
    expect(updated.EndDate).toBeUndefined();
    expect(await inGroup()).toEqual([`${PREFIX}${T1}`]);
  });

  it('caps the flexible window at 1440 minutes, removes one trigger schedule only, and a second remove is no error', async () => {
    // Prepare
    await adapter().put({ triggerId: T1, projectId: 'p1', expression: 'rate(1 day)', windowSeconds: 900, start: new Date(0) });
    await adapter().put({ triggerId: T2, projectId: 'p2', expression: 'rate(7 days)', windowSeconds: 30 * 86400, start: new Date(0) });
    expect((await aws.client.send(new GetScheduleCommand({ Name: `${PREFIX}${T2}`, GroupName: GROUP }))).FlexibleTimeWindow).toEqual({
      Mode: 'FLEXIBLE',
      MaximumWindowInMinutes: 1440,
    });
    // Act
    await adapter().remove(T2);
    await adapter().remove(T2);
    // Assess
    expect(await inGroup()).toEqual([`${PREFIX}${T1}`]);
  });
});
