import * as config from '../../config';
import { documentClient, tableName } from '../../dynamo/client';
import type { ServiceStore } from './model';
import { dynamoServiceStore } from './store';
import { systemClock } from '../../kernel/ports';

export const serviceStore = (): ServiceStore => dynamoServiceStore(documentClient(), tableName());

/** The service functions' ports: the store and the host name the rows carry (KARBOR_SERVICE_HOST). */
export const serviceDeps = () => ({ services: serviceStore(), host: config.serviceHost(), clock: systemClock });
