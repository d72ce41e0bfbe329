import {
  DeleteRuleCommand,
  type EventBridgeClient,
  ListRulesCommand,
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

/**
 * How long EventBridge keeps trying to deliver a firing: a run later than a
 * trigger's window (15-30 minutes) is dropped by fire-trigger anyway. What
 * still fails lands in the dead-letter queue.
 */
export const TRIGGER_RETRY_POLICY = { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 1800 };

export interface EventBridgeRulesOptions {
  client: EventBridgeClient;
  /** The fire-trigger function's ARN (the stack sets FIRE_TRIGGER_ARN). */
  targetArn: string;
  /** Start of every rule's name (TRIGGER_NAME_PREFIX, `<stack>-trigger-`). */
  namePrefix: string;
  /** The SQS queue for firings EventBridge could not deliver (TRIGGER_DLQ_ARN); unset, they are dropped. */
  deadLetterArn?: string;
}

/** The input transformer: in a JSON template, `<time>` is inserted as a quoted string. */
const fireTriggerTransformer = (triggerId: string, projectId: string) => ({
  InputPathsMap: { time: '$.time' },
  InputTemplate: `{"trigger_id": ${JSON.stringify(triggerId)}, "project_id": ${JSON.stringify(projectId)}, "time": <time>}`,
});

const removeRule = async (client: EventBridgeClient, name: string): Promise<void> => {
  try {
    // A rule with targets cannot be deleted: targets first.
    await client.send(new RemoveTargetsCommand({ Rule: name, Ids: [TARGET_ID] }));
    await client.send(new DeleteRuleCommand({ Name: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
};

export const eventBridgeRules = ({ client, targetArn, namePrefix, deadLetterArn }: EventBridgeRulesOptions): TriggerScheduler => ({
  async put(schedule: TriggerSchedule) {
    const name = scheduleName(namePrefix, schedule.triggerId);
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
        Targets: [
          {
            Id: TARGET_ID,
            Arn: targetArn,
            InputTransformer: fireTriggerTransformer(schedule.triggerId, schedule.projectId),
            RetryPolicy: TRIGGER_RETRY_POLICY,
            ...(deadLetterArn ? { DeadLetterConfig: { Arn: deadLetterArn } } : {}),
          },
        ],
      }),
    );
  },
  async remove(triggerId: string) {
    await removeRule(client, scheduleName(namePrefix, triggerId));
  },
});

const TRIGGER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every trigger rule of the prefix, page by page: only `<prefix><uuid>`, since stack `a-trigger`'s rules (`a-trigger-trigger-<uuid>`) also start with stack `a`'s prefix. */
async function* triggerRules(client: EventBridgeClient, namePrefix: string): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListRulesCommand({ NamePrefix: namePrefix, NextToken: token }));
    for (const rule of page.Rules ?? []) {
      const name = rule.Name ?? '';
      if (TRIGGER_ID.test(name.slice(namePrefix.length))) yield name;
    }
    token = page.NextToken;
  } while (token);
}

/**
 * Removes every rule whose name starts with the prefix, page by page: the
 * stack's clean-up on delete (functions/scheduler/cleanup-triggers.ts), so no
 * rule outlives the stack that made it. Answers how many it removed.
 */
export const removeAllRules = async (client: EventBridgeClient, namePrefix: string): Promise<number> => {
  let removed = 0;
  for await (const name of triggerRules(client, namePrefix)) {
    await removeRule(client, name);
    removed += 1;
  }
  return removed;
};

/** How many trigger rules of the prefix exist: the Scheduler-mode guard refuses a deploy while any do. */
export const countRules = async (client: EventBridgeClient, namePrefix: string): Promise<number> => {
  let count = 0;
  for await (const _ of triggerRules(client, namePrefix)) count += 1;
  return count;
};
