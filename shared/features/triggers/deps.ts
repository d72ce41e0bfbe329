import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { documentClient, tableName } from '../../dynamo/client';
import { limitsFrom, TriggerLimits } from './time-triggers';
import type { TriggerScheduler } from './model';
import type { TriggerDeps } from './use-cases';
import { eventBridgeRules } from './adapters/eventbridge-rules';
import { schedulerSchedules } from './adapters/scheduler-schedules';
import { localSchedules } from './adapters/local-schedules';
import { dynamoTriggerStore } from './store';
import type { TriggerStore } from './use-cases';

/** The trigger store of this runtime (read-only handlers need nothing else). */
export const triggerStore = (): TriggerStore => dynamoTriggerStore(documentClient(), tableName());

export const newId = (): string => randomUUID();

/**
 * The trigger-schedule adapter of this runtime, chosen by KARBOR_SCHEDULER:
 * `rules` (default: EventBridge rules), `scheduler` (EventBridge Scheduler,
 * cdk context `karbor:scheduler=scheduler`), `local` (the local runtime).
 * `targetArn` is the fire-trigger function's; fire-trigger itself passes its
 * own invoked ARN (its environment cannot name its own ARN).
 */
export const triggerScheduler = (env: NodeJS.ProcessEnv = process.env, targetArn = env.FIRE_TRIGGER_ARN ?? ''): TriggerScheduler => {
  const kind = env.KARBOR_SCHEDULER ?? 'rules';
  if (kind === 'local') return localSchedules();
  if (kind === 'scheduler') {
    return schedulerSchedules({
      client: new SchedulerClient({}),
      targetArn,
      roleArn: env.SCHEDULER_ROLE_ARN ?? '',
      group: env.SCHEDULE_GROUP ?? 'karbor',
    });
  }
  return eventBridgeRules({ client: new EventBridgeClient({}), targetArn });
};

/** The operation engine's limits: KARBOR_MIN_INTERVAL_SECONDS, KARBOR_MIN_WINDOW_SECONDS, KARBOR_MAX_WINDOW_SECONDS. */
export const triggerLimits = (env: NodeJS.ProcessEnv = process.env): TriggerLimits =>
  limitsFrom({
    minInterval: env.KARBOR_MIN_INTERVAL_SECONDS,
    minWindow: env.KARBOR_MIN_WINDOW_SECONDS,
    maxWindow: env.KARBOR_MAX_WINDOW_SECONDS,
  });

/** The ports of the trigger handlers that change schedules (create, update, delete). */
export const triggerDeps = (): TriggerDeps => ({
  triggers: triggerStore(),
  scheduler: triggerScheduler(),
  limits: triggerLimits(),
  now: () => new Date(),
  newId,
});
