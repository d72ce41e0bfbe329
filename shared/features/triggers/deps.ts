import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { documentClient, tableName } from '../../dynamo/client';
import type { TriggerLimits } from './time-triggers';
import type { TriggerDeps, TriggerScheduler, TriggerStore } from './model';
import { eventBridgeRules, removeAllRules } from './adapters/eventbridge-rules';
import { schedulerSchedules } from './adapters/scheduler-schedules';
import { localSchedules } from './adapters/local-schedules';
import { dynamoTriggerStore } from './store';
import { traced } from '../../observability/tracing';

/** The trigger store of this runtime (read-only handlers need nothing else). */
export const triggerStore = (): TriggerStore => dynamoTriggerStore(documentClient(), tableName());

/**
 * The trigger-schedule adapter of this runtime, chosen by KARBOR_SCHEDULER:
 * `rules` (default: EventBridge rules), `scheduler` (EventBridge Scheduler,
 * cdk context `karbor:scheduler=scheduler`), `local` (the local runtime).
 * `targetArn` is the fire-trigger function's; fire-trigger itself passes its
 * own invoked ARN (its environment cannot name its own ARN).
 */
export const triggerScheduler = (env?: config.Env, targetArn = config.fireTriggerArn(env)): TriggerScheduler => {
  const kind = config.scheduler(env);
  if (kind === 'local') return localSchedules();
  const names = { namePrefix: config.triggerNamePrefix(env), deadLetterArn: config.triggerDeadLetterArn(env) };
  if (kind === 'scheduler') {
    return schedulerSchedules({
      client: traced(new SchedulerClient({})),
      targetArn,
      roleArn: config.schedulerRoleArn(env),
      group: config.scheduleGroup(env),
      ...names,
    });
  }
  return eventBridgeRules({ client: traced(new EventBridgeClient({})), targetArn, ...names });
};

/**
 * Removes every trigger rule this stack made at run time (the clean-up on
 * stack delete); Scheduler schedules go with their group. Answers how many.
 */
export const removeAllTriggerRules = (env?: config.Env): Promise<number> => removeAllRules(traced(new EventBridgeClient({})), config.triggerNamePrefix(env));

/** The operation engine's limits (Karbor's min_interval, min_window_time, max_window_time). */
export const triggerLimits = (env?: config.Env): TriggerLimits => ({
  minIntervalSeconds: config.minIntervalSeconds(env),
  minWindowSeconds: config.minWindowSeconds(env),
  maxWindowSeconds: config.maxWindowSeconds(env),
});

/** The ports of the trigger handlers that change schedules (create, update, delete). */
export const triggerDeps = (): TriggerDeps => ({
  triggers: triggerStore(),
  scheduler: triggerScheduler(),
  limits: triggerLimits(),
  clock: systemClock,
  ids: randomIds,
});
