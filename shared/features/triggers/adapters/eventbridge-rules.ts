import {
  DeleteRuleCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { scheduleName, type TriggerSchedule, type TriggerScheduler } from '../model';

/**
 * One EventBridge rule per time trigger on the default bus
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html).
 * The target is the fire-trigger function; an input transformer hands it the
 * trigger, the project and the event's `time`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 * A rule cannot start, end or hold a window: the function filters those.
 */
const TARGET_ID = 'fire-trigger';

interface EventBridgeRulesOptions {
  client: EventBridgeClient;
  /** The fire-trigger function's ARN (the stack sets FIRE_TRIGGER_ARN). */
  targetArn: string;
}

/** The input transformer: in a JSON template, `<time>` is inserted as a quoted string. */
const fireTriggerTransformer = (triggerId: string, projectId: string) => ({
  InputPathsMap: { time: '$.time' },
  InputTemplate: `{"trigger_id": ${JSON.stringify(triggerId)}, "project_id": ${JSON.stringify(projectId)}, "time": <time>}`,
});

export const eventBridgeRules = ({ client, targetArn }: EventBridgeRulesOptions): TriggerScheduler => ({
  async put(schedule: TriggerSchedule) {
    const name = scheduleName(schedule.triggerId);
    // PutRule creates or replaces; the target is put again so a changed ARN follows.
    await client.send(
      new PutRuleCommand({
        Name: name,
        ScheduleExpression: schedule.expression,
        State: 'ENABLED',
        Description: `Karbor time trigger ${schedule.triggerId} of project ${schedule.projectId}`,
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [{ Id: TARGET_ID, Arn: targetArn, InputTransformer: fireTriggerTransformer(schedule.triggerId, schedule.projectId) }],
      }),
    );
  },
  async remove(triggerId: string) {
    const name = scheduleName(triggerId);
    try {
      // A rule with targets cannot be deleted: targets first.
      await client.send(new RemoveTargetsCommand({ Rule: name, Ids: [TARGET_ID] }));
      await client.send(new DeleteRuleCommand({ Name: name }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  },
});
