import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { dynamoCheckpointStore } from '../checkpoints/store';
import { eventPublisher } from '../protection/adapters/event-publisher';
import { providerCatalog } from '../providers/deps';
import { dynamoRestoreStore } from './store';
import type { RestoreDeps } from './model';

/** The composition root of the restore functions. */

export const restoreDeps = (env?: config.Env): RestoreDeps => {
  const doc = documentClient();
  return {
    restores: dynamoRestoreStore(doc, () => tableName()),
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    providers: providerCatalog(),
    events: eventPublisher(env),
    clock: systemClock,
    ids: randomIds,
    deadlineSeconds: config.jobDeadlineSeconds(env),
  };
};
