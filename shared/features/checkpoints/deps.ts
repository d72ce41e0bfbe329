import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../../dynamo/client';
import type { PlanLookup } from '../plans/lookup';
import { planStore } from '../plans/store';
import { eventPublisherFromEnv } from '../protection/adapters/event-publisher';
import { providerCatalog } from '../providers/deps';
import { quotaDeps, quotaLimits } from '../quotas/deps';
import { dynamoCheckpointStore } from './store';
import type { CheckpointDeps } from './use-cases';

/**
 * The composition root of the checkpoint functions, built once at module
 * scope. The table name is read per call, as the local runtime sets it after
 * loading.
 */
/** KARBOR_JOB_DEADLINE_SECONDS (default 6 h): past it an unfinished job reads as failed. */
const deadlineSeconds = (env: NodeJS.ProcessEnv) => Number(env.KARBOR_JOB_DEADLINE_SECONDS ?? 6 * 3600);

const plans = (doc: ReturnType<typeof documentClient>): PlanLookup => ({
  getPlan: (projectId, planId) => planStore(doc, tableName()).getPlan(projectId, planId),
});

export const checkpointDeps = (env: NodeJS.ProcessEnv = process.env): CheckpointDeps => {
  const doc = documentClient();
  return {
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    plans: plans(doc),
    providers: providerCatalog(),
    events: eventPublisherFromEnv(env),
    clock: { now: () => new Date() },
    newId: randomUUID,
    deadlineSeconds: deadlineSeconds(env),
    // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_CHECKPOINTS.
    quota: quotaLimits(quotaDeps(env)),
  };
};
