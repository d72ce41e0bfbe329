import { documentClient, tableName } from '../../dynamo/client';
import type { PlanLookup } from '../plans/model';
import { triggerCalendar, triggerStore } from '../triggers/deps';
import { randomIds, systemClock } from '../../kernel/ports';
import { dynamoScheduledOperationStore } from './store';
import type { ScheduledOperationStore } from './model';

export const scheduledOperationStore = (): ScheduledOperationStore => dynamoScheduledOperationStore(documentClient(), tableName());

/** The ports of show and list: the operations and, for next_run, their triggers. */
export const scheduledOperationReadDeps = () => ({
  operations: scheduledOperationStore(),
  triggers: triggerStore(),
  calendar: triggerCalendar(),
  clock: systemClock,
});

/**
 * The ports of scheduled-operation create: it binds a trigger and a plan of
 * the caller's project. The handler hands in plans' lookup, so the operation
 * engine, which reads operations through this file, never reaches plans.
 */
export const createScheduledOperationDeps = (plans: PlanLookup) => ({
  operations: scheduledOperationStore(),
  // The store alone: no schedule adapter (the trigger is only bound).
  triggers: triggerStore(),
  calendar: triggerCalendar(),
  plans,
  clock: systemClock,
  ids: randomIds,
});
