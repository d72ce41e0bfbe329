import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../aws/dynamo';
import type { TriggerStore } from '../domain/triggers';
import { dynamoTriggerStore } from '../store/triggers';

/** The trigger store of this runtime (read-only handlers need nothing else). */
export const triggerStore = (): TriggerStore => dynamoTriggerStore(documentClient(), tableName());

export const newId = (): string => randomUUID();
