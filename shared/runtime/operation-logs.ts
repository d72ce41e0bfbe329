import { documentClient, tableName } from '../aws/dynamo';
import type { OperationLogStore } from '../domain/operation-logs';
import { operationLogStore } from '../store/operation-logs';

export const operationLogs = (): OperationLogStore => operationLogStore(documentClient(), tableName());
