import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException as SchedulerNotFound,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgeRules } from '../../../../../../shared/features/triggers/adapters/eventbridge-rules';
import { schedulerSchedules } from '../../../../../../shared/features/triggers/adapters/scheduler-schedules';
import type { TriggerSchedule } from '../../../../../../shared/features/triggers/model';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:fire-trigger';
const ID = '2b4b5e3c-1111-4c1f-9b7a-2d8f0e6a1b35';
const SCHEDULE: TriggerSchedule = {
  triggerId: ID,
  projectId: 'demo',
  expression: 'cron(0 3 * * ? *)',
  windowSeconds: 1200,
  start: new Date('2030-01-01T00:00:00Z'),
  end: new Date('2031-01-01T00:00:00Z'),
};

describe('eventBridgeRules', () => {
  const events = mockClient(EventBridgeClient);
  beforeEach(() => events.reset());
  const adapter = () => eventBridgeRules({ client: new EventBridgeClient({ region: 'eu-west-1' }), targetArn: ARN });

  it('puts the rule, then the fire-trigger target with the input transformer', async () => {
    // Act
    await adapter().put(SCHEDULE);
    // Assess
    expect(events.commandCalls(PutRuleCommand)[0].args[0].input).toEqual({
      Name: `karbor-trigger-${ID}`,
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Description: `Karbor time trigger ${ID} of project demo`,
    });
    expect(events.commandCalls(PutTargetsCommand)[0].args[0].input).toEqual({
      Rule: `karbor-trigger-${ID}`,
      Targets: [
        {
          Id: 'fire-trigger',
          Arn: ARN,
          InputTransformer: {
            InputPathsMap: { time: '$.time' },
            InputTemplate: `{"trigger_id": "${ID}", "project_id": "demo", "time": <time>}`,
          },
        },
      ],
    });
  });

  it('removes the target, then deletes the rule', async () => {
    // Act
    await adapter().remove(ID);
    // Assess
    expect(events.commandCalls(RemoveTargetsCommand)[0].args[0].input).toEqual({ Rule: `karbor-trigger-${ID}`, Ids: ['fire-trigger'] });
    expect(events.commandCalls(DeleteRuleCommand)[0].args[0].input).toEqual({ Name: `karbor-trigger-${ID}` });
  });

  it('treats a rule that is already gone as removed', async () => {
    // Prepare
    events.on(RemoveTargetsCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    // Act + Assess
    await expect(adapter().remove(ID)).resolves.toBeUndefined();
  });

  it('passes other failures on', async () => {
    events.on(PutRuleCommand).rejects(new Error('throttled'));
    await expect(adapter().put(SCHEDULE)).rejects.toThrow('throttled');
    expect(events.commandCalls(PutTargetsCommand)).toHaveLength(0);
  });
});

describe('schedulerSchedules', () => {
  const scheduler = mockClient(SchedulerClient);
  beforeEach(() => scheduler.reset());
  const adapter = () =>
    schedulerSchedules({
      client: new SchedulerClient({ region: 'eu-west-1' }),
      targetArn: ARN,
      roleArn: 'arn:aws:iam::123456789012:role/scheduler',
      group: 'karbor',
      now: () => new Date('2029-06-01T00:00:00Z'),
    });
  const expected = {
    Name: `karbor-trigger-${ID}`,
    GroupName: 'karbor',
    ScheduleExpression: 'cron(0 3 * * ? *)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 20 },
    StartDate: new Date('2030-01-01T00:00:00Z'),
    EndDate: new Date('2031-01-01T00:00:00Z'),
    State: 'ENABLED',
    Description: `Karbor time trigger ${ID} of project demo`,
    Target: {
      Arn: ARN,
      RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
      Input: `{"trigger_id": "${ID}", "project_id": "demo", "time": "<aws.scheduler.scheduled-time>"}`,
    },
  };

  it('creates one schedule per trigger: window -> flexible window, start/end -> StartDate/EndDate', async () => {
    await adapter().put(SCHEDULE);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input).toEqual(expected);
  });

  it('updates the schedule when it exists; a past start is left out', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    // Act
    await adapter().put({ ...SCHEDULE, start: new Date('2020-01-01T00:00:00Z'), end: undefined });
    // Assess
    const { StartDate, EndDate, ...rest } = expected;
    void StartDate;
    void EndDate;
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0].args[0].input).toEqual(rest);
  });

  it('deletes the schedule, ignoring one already gone', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new SchedulerNotFound({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(adapter().remove(ID)).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0].args[0].input).toEqual({ Name: `karbor-trigger-${ID}`, GroupName: 'karbor' });
  });
});
