import { config, type Config } from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
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

/**
 * The trigger-schedule adapter of this runtime, chosen by KARBOR_SCHEDULER:
 * `rules` (default: EventBridge rules), `scheduler` (EventBridge Scheduler,
 * cdk context `karbor:scheduler=scheduler`), `local` (the local runtime).
 * `targetArn` is the fire-trigger function's; fire-trigger itself passes its
 * own invoked ARN (its environment cannot name its own ARN).
 */
export const triggerScheduler = (cfg: Config = config, targetArn = cfg.fireTriggerArn): TriggerScheduler => {
  const kind = cfg.scheduler;
  if (kind === 'local') return localSchedules();
  if (kind === 'scheduler') {
    return schedulerSchedules({
      client: new SchedulerClient({}),
      targetArn,
      roleArn: cfg.schedulerRoleArn,
      group: cfg.scheduleGroup,
    });
  }
  return eventBridgeRules({ client: new EventBridgeClient({}), targetArn });
};

/** The operation engine's limits: KARBOR_MIN_INTERVAL_SECONDS, KARBOR_MIN_WINDOW_SECONDS, KARBOR_MAX_WINDOW_SECONDS. */
export const triggerLimits = (cfg: Config = config): TriggerLimits => limitsFrom(cfg);

/** The ports of the trigger handlers that change schedules (create, update, delete). */
export const triggerDeps = (): TriggerDeps => ({
  triggers: triggerStore(),
  scheduler: triggerScheduler(),
  limits: triggerLimits(),
  clock: systemClock,
  ids: randomIds,
});
