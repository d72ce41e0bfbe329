import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import type { PlanLookup } from '../plans/lookup';
import { planStore } from '../plans/store';
import { eventPublisher } from '../protection/adapters/event-publisher';
import { providerCatalog } from '../providers/deps';
import { quotaDeps, quotaLimits } from '../quotas/deps';
import { dynamoCheckpointStore } from './store';
import type { CheckpointDeps } from './model';

/**
 * The composition root of the checkpoint functions, built once at module
 * scope. The table name is read per call, as the local runtime sets it after
 * loading.
 */

const plans = (doc: ReturnType<typeof documentClient>): PlanLookup => ({
  getPlan: (projectId, planId) => planStore(doc, tableName()).getPlan(projectId, planId),
});

export const checkpointDeps = (env?: config.Env): CheckpointDeps => {
  const doc = documentClient();
  return {
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    plans: plans(doc),
    providers: providerCatalog(),
    events: eventPublisher(env),
    clock: systemClock,
    ids: randomIds,
    deadlineSeconds: config.jobDeadlineSeconds(env),
    // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_CHECKPOINTS.
    quota: quotaLimits(quotaDeps(env)),
  };
};
