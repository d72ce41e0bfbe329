import { documentClient, tableName } from '../aws/dynamo';
import type { ScheduledOperationStore } from '../domain/scheduled-operations';
import { dynamoScheduledOperationStore } from '../store/scheduled-operations';

export const scheduledOperationStore = (): ScheduledOperationStore => dynamoScheduledOperationStore(documentClient(), tableName());
