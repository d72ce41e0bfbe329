import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../../dynamo/client';
import { dynamoCheckpointStore } from '../checkpoints/store';
import { eventPublisherFromEnv } from '../protection/adapters/event-publisher';
import { providerCatalog } from '../providers/deps';
import { dynamoRestoreStore } from './store';
import type { RestoreDeps } from './use-cases';

/** The composition root of the restore functions. */
/** KARBOR_JOB_DEADLINE_SECONDS (default 6 h): past it an unfinished job reads as failed. */
const deadlineSeconds = (env: NodeJS.ProcessEnv) => Number(env.KARBOR_JOB_DEADLINE_SECONDS ?? 6 * 3600);

export const restoreDeps = (env: NodeJS.ProcessEnv = process.env): RestoreDeps => {
  const doc = documentClient();
  return {
    restores: dynamoRestoreStore(doc, () => tableName()),
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    providers: providerCatalog(),
    events: eventPublisherFromEnv(env),
    clock: { now: () => new Date() },
    newId: randomUUID,
    deadlineSeconds: deadlineSeconds(env),
  };
};
