import { config, type Config } from '../../config';
import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../../dynamo/client';
import { dynamoCheckpointStore } from '../checkpoints/store';
import { eventPublisher } from '../protection/adapters/event-publisher';
import { providerCatalog } from '../providers/deps';
import { dynamoRestoreStore } from './store';
import type { RestoreDeps } from './use-cases';

/** The composition root of the restore functions. */

export const restoreDeps = (cfg: Config = config): RestoreDeps => {
  const doc = documentClient();
  return {
    restores: dynamoRestoreStore(doc, () => tableName()),
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    providers: providerCatalog(),
    events: eventPublisher(cfg),
    clock: { now: () => new Date() },
    newId: randomUUID,
    deadlineSeconds: cfg.jobDeadlineSeconds,
  };
};
