import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { checkpointStore } from '../checkpoints/deps';
import { eventPublisher } from '../../events/publisher';
import { providerCatalog } from '../providers/deps';
import { dynamoRestoreStore } from './store';
import type { RestoreDeps, RestoreRepository } from './model';
import { jsonLog } from '../../observability/log';

/** The composition root of the restore functions. */

/** The restore store (the worker runs restores through it). */
export const restoreStore = (): RestoreRepository => dynamoRestoreStore(documentClient(), tableName());

export const restoreDeps = (): RestoreDeps => {
  return {
    restores: restoreStore(),
    checkpoints: checkpointStore(),
    providers: providerCatalog(),
    events: eventPublisher(),
    clock: systemClock,
    ids: randomIds,
    log: jsonLog,
    deadlineSeconds: config.jobDeadlineSeconds(),
  };
};
