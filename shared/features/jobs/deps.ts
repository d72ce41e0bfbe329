import { documentClient, tableName } from '../../dynamo/client';
import type { ActiveJobIndex } from './model';
import { dynamoActiveJobIndex } from './store';

/** The index of running jobs the sweep reads. */
export const activeJobIndex = (): ActiveJobIndex => dynamoActiveJobIndex(documentClient(), tableName());
