import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../../dynamo/client';
import type { TriggerStore } from './use-cases';
import { dynamoTriggerStore } from './store';

/** The trigger store of this runtime (read-only handlers need nothing else). */
export const triggerStore = (): TriggerStore => dynamoTriggerStore(documentClient(), tableName());

export const newId = (): string => randomUUID();
