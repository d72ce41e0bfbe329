import {
  DeleteRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
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
import { eventBridgeRules, removeAllRules } from '../../../../../../shared/features/triggers/adapters/eventbridge-rules';
import { schedulerSchedules } from '../../../../../../shared/features/triggers/adapters/scheduler-schedules';
import type { TriggerSchedule } from '../../../../../../shared/features/triggers/model';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:fire-trigger';
const ID = '2b4b5e3c-1111-4c1f-9b7a-2d8f0e6a1b35';
const PREFIX = 'prod-trigger-';
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:prod-FireTriggerDeadLetters';
const RETRY = { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 1800 };
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
  const adapter = () => eventBridgeRules({ client: new EventBridgeClient({ region: 'eu-west-1' }), targetArn: ARN, namePrefix: PREFIX, deadLetterArn: DLQ });

  it('puts the rule named from the stack, then the fire-trigger target with the input transformer, retries and dead-letter queue', async () => {
    // Act
    await adapter().put(SCHEDULE);
    // Assess
    expect(events.commandCalls(PutRuleCommand)[0].args[0].input).toEqual({
      Name: `prod-trigger-${ID}`,
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Description: `Karbor time trigger ${ID} of project demo`,
    });
    expect(events.commandCalls(PutTargetsCommand)[0].args[0].input).toEqual({
      Rule: `prod-trigger-${ID}`,
      Targets: [
        {
          Id: 'fire-trigger',
          Arn: ARN,
          InputTransformer: {
            InputPathsMap: { time: '$.time' },
            InputTemplate: `{"trigger_id": "${ID}", "project_id": "demo", "time": <time>}`,
          },
          RetryPolicy: RETRY,
          DeadLetterConfig: { Arn: DLQ },
        },
      ],
    });
  });

  it('removes the target, then deletes the rule', async () => {
    // Act
    await adapter().remove(ID);
    // Assess
    expect(events.commandCalls(RemoveTargetsCommand)[0].args[0].input).toEqual({ Rule: `prod-trigger-${ID}`, Ids: ['fire-trigger'] });
    expect(events.commandCalls(DeleteRuleCommand)[0].args[0].input).toEqual({ Name: `prod-trigger-${ID}` });
  });

  it('treats a rule that is already gone as removed', async () => {
    // Prepare
    events.on(RemoveTargetsCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    // Act + Assess
    await expect(adapter().remove(ID)).resolves.toBeUndefined();
  });

  it("removes every rule of this stack's prefix, page by page, and no other stack's", async () => {
    // Prepare: stack `prod-trigger`'s rules start with stack `prod`'s prefix too.
    const other = `prod-trigger-trigger-${ID}`;
    const second = '9c0a4e7b-2222-4d2e-8c6b-3e9f1f7b2c46';
    events
      .on(ListRulesCommand, { NamePrefix: PREFIX, NextToken: undefined })
      .resolves({ Rules: [{ Name: `${PREFIX}${ID}` }, { Name: other }], NextToken: 'page2' })
      .on(ListRulesCommand, { NamePrefix: PREFIX, NextToken: 'page2' })
      .resolves({ Rules: [{ Name: `${PREFIX}${second}` }] });
    // Act
    const removed = await removeAllRules(new EventBridgeClient({ region: 'eu-west-1' }), PREFIX);
    // Assess
    expect(removed).toBe(2);
    expect(events.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.Name)).toEqual([`${PREFIX}${ID}`, `${PREFIX}${second}`]);
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
      group: 'prod',
      namePrefix: PREFIX,
      deadLetterArn: DLQ,
      clock: { now: () => new Date('2029-06-01T00:00:00Z') },
    });
  const expected = {
    Name: `prod-trigger-${ID}`,
    GroupName: 'prod',
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
      RetryPolicy: RETRY,
      DeadLetterConfig: { Arn: DLQ },
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
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0].args[0].input).toEqual({ Name: `prod-trigger-${ID}`, GroupName: 'prod' });
  });
});
