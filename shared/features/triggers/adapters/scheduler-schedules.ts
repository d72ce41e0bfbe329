import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { scheduleName, type TriggerSchedule, type TriggerScheduler } from '../model';
import { TRIGGER_RETRY_POLICY } from './eventbridge-rules';
import type { Clock } from '../../../kernel/ports';

/**
 * The EventBridge Scheduler alternative to rules (cdk context
 * `karbor:scheduler=scheduler`): one schedule per trigger in the stack's group
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 * Unlike rules, a schedule has a start, an end and a flexible time window,
 * and millions fit in an account. The target input carries the scheduled time
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 */
interface SchedulerSchedulesOptions {
  client: SchedulerClient;
  targetArn: string;
  /** The role Scheduler assumes to invoke the function (SCHEDULER_ROLE_ARN). */
  roleArn: string;
  /** SCHEDULE_GROUP: the stack's group, which takes its schedules with it when the stack goes. */
  group: string;
  /** Start of every schedule's name (TRIGGER_NAME_PREFIX). */
  namePrefix: string;
  /** The SQS queue for invocations Scheduler could not deliver (TRIGGER_DLQ_ARN). */
  deadLetterArn?: string;
  /** Today decides whether a schedule's start is already past (Scheduler refuses a start in the past). */
  clock: Clock;
}

/** The most Scheduler's flexible window allows. */
const MAX_WINDOW_MINUTES = 1440;

const scheduleInput = (s: TriggerSchedule, o: SchedulerSchedulesOptions, now: Date): CreateScheduleCommandInput => {
  const windowMinutes = Math.min(MAX_WINDOW_MINUTES, Math.floor(s.windowSeconds / 60));
  return {
    Name: scheduleName(o.namePrefix, s.triggerId),
    GroupName: o.group,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: 'UTC',
    // A flexible window spreads the invocation inside the trigger's window; the
    // input keeps the scheduled time, from which the function judges the window.
    FlexibleTimeWindow: windowMinutes >= 1 ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: windowMinutes } : { Mode: 'OFF' },
    // Scheduler refuses a StartDate more than 5 minutes in the past: a past start is simply "now".
    ...(s.start.getTime() > now.getTime() ? { StartDate: s.start } : {}),
    ...(s.end ? { EndDate: s.end } : {}),
    State: 'ENABLED',
    Description: `Karbor time trigger ${s.triggerId} of project ${s.projectId}`,
    Target: {
      Arn: o.targetArn,
      RoleArn: o.roleArn,
      Input: `{"trigger_id": ${JSON.stringify(s.triggerId)}, "project_id": ${JSON.stringify(s.projectId)}, "time": "<aws.scheduler.scheduled-time>"}`,
      RetryPolicy: TRIGGER_RETRY_POLICY,
      ...(o.deadLetterArn ? { DeadLetterConfig: { Arn: o.deadLetterArn } } : {}),
    },
  };
};

export const schedulerSchedules = (o: SchedulerSchedulesOptions): TriggerScheduler => ({
  async put(schedule: TriggerSchedule) {
    const input = scheduleInput(schedule, o, o.clock.now());
    try {
      await o.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await o.client.send(new UpdateScheduleCommand(input));
    }
  },
  async remove(triggerId: string) {
    try {
      await o.client.send(new DeleteScheduleCommand({ Name: scheduleName(o.namePrefix, triggerId), GroupName: o.group }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  },
});
