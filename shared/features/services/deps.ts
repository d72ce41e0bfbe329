import { documentClient, tableName } from '../../dynamo/client';
import type { ServiceStore } from './use-cases';
import { dynamoServiceStore } from './store';

export const serviceStore = (): ServiceStore => dynamoServiceStore(documentClient(), tableName());
