import { documentClient, tableName } from '../../dynamo/client';
import { planStore } from '../plans/store';
import { newId, triggerStore } from '../triggers/deps';
import { dynamoScheduledOperationStore } from './store';
import type { ScheduledOperationStore } from './use-cases';

export const scheduledOperationStore = (): ScheduledOperationStore => dynamoScheduledOperationStore(documentClient(), tableName());

/** The ports of scheduled-operation create: it binds a trigger and a plan of the caller's project. */
export const createScheduledOperationDeps = () => ({
  operations: scheduledOperationStore(),
  triggers: triggerStore(),
  plans: planStore(documentClient(), tableName()),
  now: () => new Date(),
  newId,
});
