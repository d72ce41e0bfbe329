import { documentClient, tableName } from '../../dynamo/client';
import { planStore } from '../plans/store';
import { dynamoTriggerStore } from '../triggers/store';
import { randomIds, systemClock } from '../../kernel/ports';
import { dynamoScheduledOperationStore } from './store';
import type { ScheduledOperationStore } from './model';

export const scheduledOperationStore = (): ScheduledOperationStore => dynamoScheduledOperationStore(documentClient(), tableName());

/** The ports of show and list: the operations and, for next_run, their triggers. */
export const scheduledOperationReadDeps = () => ({
  operations: scheduledOperationStore(),
  triggers: dynamoTriggerStore(documentClient(), tableName()),
});

/** The ports of scheduled-operation create: it binds a trigger and a plan of the caller's project. */
export const createScheduledOperationDeps = () => ({
  operations: scheduledOperationStore(),
  // The store alone: the trigger feature's deps would bring its schedule adapters and rrule.
  triggers: dynamoTriggerStore(documentClient(), tableName()),
  plans: planStore(documentClient(), tableName()),
  clock: systemClock,
  ids: randomIds,
});
