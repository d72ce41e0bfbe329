import { documentClient, tableName } from '../../dynamo/client';
import type { OperationLogStore, OperationLogWindow } from './model';
import { operationLogStore, operationLogWindow } from './store';

export const operationLogs = (): OperationLogStore => operationLogStore(documentClient(), tableName());

/** Windows of job logs by start time, a project's or every project's (reports). */
export const operationLogWindows = (): OperationLogWindow => operationLogWindow(documentClient(), tableName());
