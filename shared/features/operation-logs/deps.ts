import { documentClient, tableName } from '../../dynamo/client';
import type { OperationLogStore } from './model';
import { operationLogStore } from './store';

export const operationLogs = (): OperationLogStore => operationLogStore(documentClient(), tableName());
