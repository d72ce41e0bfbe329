import { documentClient, tableName } from '../aws/dynamo';
import type { ServiceStore } from '../domain/services';
import { dynamoServiceStore } from '../store/services';

export const serviceStore = (): ServiceStore => dynamoServiceStore(documentClient(), tableName());
