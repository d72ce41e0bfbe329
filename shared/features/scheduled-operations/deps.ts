import { documentClient, tableName } from '../../dynamo/client';
import { planStore } from '../plans/store';
import { triggerStore } from '../triggers/deps';
import { randomIds, systemClock } from '../../kernel/ports';
import { dynamoScheduledOperationStore } from './store';
import type { ScheduledOperationStore } from './use-cases';

export const scheduledOperationStore = (): ScheduledOperationStore => dynamoScheduledOperationStore(documentClient(), tableName());

/** The ports of scheduled-operation create: it binds a trigger and a plan of the caller's project. */
export const createScheduledOperationDeps = () => ({
  operations: scheduledOperationStore(),
  triggers: triggerStore(),
  plans: planStore(documentClient(), tableName()),
  clock: systemClock,
  ids: randomIds,
});
