import { documentClient, tableName } from '../../dynamo/client';
import type { ScheduledOperationStore } from './use-cases';
import { dynamoScheduledOperationStore } from './store';

export const scheduledOperationStore = (): ScheduledOperationStore => dynamoScheduledOperationStore(documentClient(), tableName());
