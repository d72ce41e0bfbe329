import * as config from '../../config';
import { documentClient, tableName } from '../../dynamo/client';
import { effectiveLimit } from './use-cases';
import type { QuotaDeps, QuotaLimits } from './model';
import { dynamoQuotaStore } from './store';

/** KARBOR_QUOTA_PLANS (default 50, Karbor's `quota_plans`; -1 unlimited, 0 forbids creating plans). */
export const planQuotaLimit = (): number => config.quotaPlans();

/** KARBOR_QUOTA_CHECKPOINTS (default -1, unlimited). */
export const checkpointQuotaLimit = (): number => config.quotaCheckpoints();

/**
 * The configured defaults, which the `default` quota class overrides. Read on
 * every call, so a changed setting applies without a new instance (and tests
 * can set it); checked once when the function starts.
 */
export const configuredQuotaLimits = (): QuotaLimits => ({
  plans: planQuotaLimit(),
  checkpoints: checkpointQuotaLimit(),
});

/** The composition root of the quota functions. */
export const quotaDeps = (): QuotaDeps => {
  const configured = configuredQuotaLimits();
  return {
    quotas: dynamoQuotaStore(documentClient(), tableName()),
    configured: () => configured,
  };
};

/** The effective per-project limits the plan and checkpoint creates enforce (override, default class, setting). */
export const quotaLimits = (deps: QuotaDeps = quotaDeps()) => ({
  planLimit: (projectId: string) => effectiveLimit(deps, projectId, 'plans'),
  checkpointLimit: (projectId: string) => effectiveLimit(deps, projectId, 'checkpoints'),
});
