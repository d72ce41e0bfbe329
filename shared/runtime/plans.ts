import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../aws/dynamo';
import type { PlanDeps, PlanQuota } from '../domain/plans';
import { planStore } from '../store/plans';
import { providerCatalog } from './providers';

/** Karbor's `quota_plans` default. */
export const DEFAULT_PLAN_QUOTA = 50;

/**
 * The plans quota from `KARBOR_QUOTA_PLANS` (default 50, -1 unlimited, 0 forbids
 * creating plans). A value that is not an integer >= -1 stops the function
 * rather than silently changing the limit.
 */
export const planQuotaLimit = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env.KARBOR_QUOTA_PLANS;
  const limit = raw === undefined || raw.trim() === '' ? DEFAULT_PLAN_QUOTA : Number(raw);
  if (!Number.isInteger(limit) || limit < -1) throw new Error(`KARBOR_QUOTA_PLANS must be an integer >= -1, got ${raw}`);
  return limit;
};

/** Reads the environment on every call, so a changed setting applies without a new instance (and tests can set it). */
export const envPlanQuota = (env: NodeJS.ProcessEnv = process.env): PlanQuota => {
  planQuotaLimit(env);
  return { planLimit: async () => planQuotaLimit(env) };
};

/** The composition root of the plan functions: built once per Lambda instance. */
export const planDeps = (): PlanDeps => ({
  plans: planStore(documentClient(), tableName()),
  providers: providerCatalog(),
  quota: envPlanQuota(),
  clock: { now: () => new Date() },
  ids: { newId: () => randomUUID() },
});
