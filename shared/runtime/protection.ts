import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../aws/dynamo';
import type { CheckpointDeps } from '../domain/checkpoints';
import type { PlanLookup } from '../domain/plan-lookup';
import { dependentTypes } from '../domain/protectables';
import type { GraphResource } from '../domain/plugins';
import type { WorkerDeps } from '../domain/protection-worker';
import type { RestoreDeps } from '../domain/restores';
import { dynamoCheckpointStore } from '../store/checkpoints';
import { planStore } from '../store/plans';
import { dynamoRestoreStore } from '../store/restores';
import { dynamoVerificationStore } from '../store/verifications';
import type { VerificationDeps } from '../domain/verifications';
import { bankFromEnv } from './bank';
import { eventPublisherFromEnv } from './events';
import { pluginRegistryFromEnv } from './plugins';
import { instanceSourcesFromEnv } from './protectables';
import { providerCatalog } from './providers';

/**
 * The composition root of the protection feature: each Lambda builds these
 * once at module scope. The table name is read per call, as the local
 * runtime sets it after loading.
 */
const deadlineSeconds = (env: NodeJS.ProcessEnv) => Number(env.KARBOR_JOB_DEADLINE_SECONDS ?? 6 * 3600);

/**
 * Karbor's `quota_checkpoints` from KARBOR_QUOTA_CHECKPOINTS (default -1,
 * unlimited), read per call; a value that is not an integer >= -1 is refused.
 */
export const checkpointQuotaLimit = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env.KARBOR_QUOTA_CHECKPOINTS;
  const limit = raw === undefined || raw.trim() === '' ? -1 : Number(raw);
  if (!Number.isInteger(limit) || limit < -1) throw new Error(`KARBOR_QUOTA_CHECKPOINTS must be an integer >= -1, got ${raw}`);
  return limit;
};

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
    quota: { checkpointLimit: async () => checkpointQuotaLimit(env) },
  };
};

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

export const verificationDeps = (): VerificationDeps => {
  const doc = documentClient();
  return {
    verifications: dynamoVerificationStore(doc, () => tableName()),
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    providers: providerCatalog(),
    clock: { now: () => new Date() },
    newId: randomUUID,
  };
};

/** The worker's ports; `timeoutSeconds` is the worker's own timeout (the lease outlives it). */
export const workerDeps = (timeoutSeconds: number, env: NodeJS.ProcessEnv = process.env): WorkerDeps => {
  const doc = documentClient();
  const sources = instanceSourcesFromEnv(env);
  return {
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    restores: dynamoRestoreStore(doc, () => tableName()),
    providers: providerCatalog(),
    plugins: pluginRegistryFromEnv(env),
    async dependentsOf(projectId, resource): Promise<GraphResource[]> {
      const parent = { id: resource.id, type: resource.type, name: resource.name, extra_info: resource.extraInfo ? (JSON.parse(resource.extraInfo) as Record<string, unknown>) : null };
      const lists = await Promise.all(dependentTypes(resource.type).map((t) => sources[t]?.dependentsOf({ projectId }, parent) ?? []));
      return lists.flat().map((i) => ({ type: i.type, id: i.id, name: i.name, extraInfo: i.extra_info === null ? null : JSON.stringify(i.extra_info) }));
    },
    bank: bankFromEnv(env),
    events: eventPublisherFromEnv(env),
    clock: { now: () => new Date() },
    newToken: randomUUID,
    leaseSeconds: timeoutSeconds + 60,
    log: (entry) => console.log(JSON.stringify(entry)),
  };
};
