import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import type { TriggerLimits } from './time-triggers';
import type { LoadCalendar, TriggerDeps, TriggerScheduler, TriggerStore } from './model';
import { lazily } from '../../kernel/lazy';
import { localSchedules } from './adapters/local-schedules';
import { migratingSchedules } from './adapters/migrating-schedules';
import { dynamoTriggerStore } from './store';
import { traced } from '../../observability/tracing';

/** The trigger store of this runtime (read-only handlers need nothing else). */
export const triggerStore = (doc = documentClient(), table = tableName()): TriggerStore => dynamoTriggerStore(doc, table);

/**
 * The trigger-schedule adapter of this runtime, chosen by KARBOR_SCHEDULER:
 * `scheduler` (EventBridge Scheduler, the stack's default), `rules`
 * (EventBridge rules, stacks deployed before that default), `migrating`
 * (schedules put, rules only removed: adapters/migrating-schedules.ts),
 * `local` (the local runtime). `targetArn` is the fire-trigger function's;
 * fire-trigger itself passes its own invoked ARN (its environment cannot name
 * its own ARN); schedules target FIRE_TRIGGER_QUEUE_ARN instead when it is set.
 */
export const triggerScheduler = (targetArn = config.fireTriggerArn()): TriggerScheduler => {
  const kind = config.scheduler();
  if (kind === 'local') return localSchedules();
  const names = { namePrefix: config.triggerNamePrefix(), deadLetterArn: config.triggerDeadLetterArn() };
  const rules = () =>
    lazyScheduler(async () => {
      const [{ EventBridgeClient }, { eventBridgeRules }] = await Promise.all([import('@aws-sdk/client-eventbridge'), import('./adapters/eventbridge-rules')]);
      return eventBridgeRules({ client: traced(new EventBridgeClient({})), targetArn, ...names });
    });
  if (kind === 'rules') return rules();
  // A schedule targets the firings queue where the stack has one (a bounded burst), else fire-trigger itself.
  const options = {
    targetArn: config.fireTriggerQueueArn() || targetArn,
    roleArn: config.schedulerRoleArn(),
    group: config.scheduleGroup(),
    ...names,
    clock: systemClock,
  };
  const schedules = lazyScheduler(async () => {
    const [{ SchedulerClient }, { schedulerSchedules }] = await Promise.all([import('@aws-sdk/client-scheduler'), import('./adapters/scheduler-schedules')]);
    return schedulerSchedules({ client: traced(new SchedulerClient({})), ...options });
  });
  return kind === 'scheduler' ? schedules : migratingSchedules(schedules, rules());
};

/**
 * A schedule adapter whose code and SDK client load with the first call:
 * handlers that never change a schedule (and those that read one) do not
 * compile them at init (BENCHMARKS.md section 5). The settings are read now,
 * so a bad one still stops the function as it starts.
 */
const lazyScheduler = (load: () => Promise<TriggerScheduler>): TriggerScheduler => {
  const scheduler = lazily(load);
  return {
    put: async (schedule) => (await scheduler()).put(schedule),
    remove: async (triggerId) => (await scheduler()).remove(triggerId),
  };
};

/**
 * Removes every trigger rule this stack made at run time (the clean-up on
 * stack delete); Scheduler schedules go with their group. Answers how many.
 */
export const removeAllTriggerRules = async (): Promise<number> => {
  const [{ EventBridgeClient }, { removeAllRules }] = await Promise.all([import('@aws-sdk/client-eventbridge'), import('./adapters/eventbridge-rules')]);
  return removeAllRules(traced(new EventBridgeClient({})), config.triggerNamePrefix());
};

/** How many trigger rules of this stack exist (the Scheduler-mode deploy guard). */
export const countTriggerRules = async (): Promise<number> => {
  const [{ EventBridgeClient }, { countRules }] = await Promise.all([import('@aws-sdk/client-eventbridge'), import('./adapters/eventbridge-rules')]);
  return countRules(traced(new EventBridgeClient({})), config.triggerNamePrefix());
};

/** The operation engine's limits (Karbor's min_interval, min_window_time, max_window_time). */
export const triggerLimits = (): TriggerLimits => ({
  minIntervalSeconds: config.minIntervalSeconds(),
  minWindowSeconds: config.minWindowSeconds(),
  maxWindowSeconds: config.maxWindowSeconds(),
});

/** The ports of the trigger handlers that change schedules (create, update, delete). */
export const triggerDeps = (): TriggerDeps => ({
  triggers: triggerStore(),
  scheduler: triggerScheduler(),
  limits: triggerLimits(),
  clock: systemClock,
  ids: randomIds,
});

/** The trigger's time rules for other features, with the calendar libraries loaded on first use. */
export const triggerCalendar = (): LoadCalendar => loadCalendarRules;

const loadCalendarRules = lazily(async () => (await import('./calendar')).calendarRules);
