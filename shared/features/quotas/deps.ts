import * as config from '../../config';
import { documentClient, tableName } from '../../dynamo/client';
import { effectiveLimit } from './use-cases';
import type { QuotaDeps, QuotaLimits } from './model';
import { dynamoQuotaStore } from './store';

/** KARBOR_QUOTA_PLANS (default 50, Karbor's `quota_plans`; -1 unlimited, 0 forbids creating plans). */
export const planQuotaLimit = (env?: config.Env): number => config.quotaPlans(env);

/** KARBOR_QUOTA_CHECKPOINTS (default -1, unlimited). */
export const checkpointQuotaLimit = (env?: config.Env): number => config.quotaCheckpoints(env);

/**
 * The configured defaults, which the `default` quota class overrides. Read on
 * every call, so a changed setting applies without a new instance (and tests
 * can set it); checked once when the function starts.
 */
export const configuredQuotaLimits = (env?: config.Env): QuotaLimits => ({
  plans: planQuotaLimit(env),
  checkpoints: checkpointQuotaLimit(env),
});

/** The composition root of the quota functions. The table name is read per call (the local runtime sets it after loading). */
export const quotaDeps = (env?: config.Env): QuotaDeps => {
  configuredQuotaLimits(env);
  return {
    quotas: dynamoQuotaStore(documentClient(), () => tableName(env)),
    configured: () => configuredQuotaLimits(env),
  };
};

/** The effective per-project limits the plan and checkpoint creates enforce (override, default class, setting). */
export const quotaLimits = (deps: QuotaDeps = quotaDeps()) => ({
  planLimit: (projectId: string) => effectiveLimit(deps, projectId, 'plans'),
  checkpointLimit: (projectId: string) => effectiveLimit(deps, projectId, 'checkpoints'),
});
