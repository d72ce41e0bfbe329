import { documentClient, tableName } from '../../dynamo/client';
import type { ActiveJobIndex } from './model';
import { dynamoActiveJobIndex } from './store';

/** The index of running jobs the sweep reads (the table name read per call until settings are built once per runtime). */
export const activeJobIndex = (): ActiveJobIndex => dynamoActiveJobIndex(documentClient(), () => tableName());
