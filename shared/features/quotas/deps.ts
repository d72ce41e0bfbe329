import { documentClient, tableName } from '../../dynamo/client';
import { effectiveLimit, QuotaDeps, QuotaLimits } from './use-cases';
import { dynamoQuotaStore } from './store';

/** Karbor's `quota_plans` and `quota_checkpoints` defaults. */
export const DEFAULT_PLAN_QUOTA = 50;
export const DEFAULT_CHECKPOINT_QUOTA = -1;

/** An integer >= -1 from the environment; anything else stops the function rather than silently changing a limit. */
const envLimit = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  const limit = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(limit) || limit < -1) throw new Error(`${name} must be an integer >= -1, got ${raw}`);
  return limit;
};

/** KARBOR_QUOTA_PLANS (default 50, -1 unlimited, 0 forbids creating plans). */
export const planQuotaLimit = (env: NodeJS.ProcessEnv = process.env): number => envLimit(env, 'KARBOR_QUOTA_PLANS', DEFAULT_PLAN_QUOTA);

/** KARBOR_QUOTA_CHECKPOINTS (default -1, unlimited). */
export const checkpointQuotaLimit = (env: NodeJS.ProcessEnv = process.env): number =>
  envLimit(env, 'KARBOR_QUOTA_CHECKPOINTS', DEFAULT_CHECKPOINT_QUOTA);

/**
 * The configured defaults, which the `default` quota class overrides. Read on
 * every call, so a changed setting applies without a new instance (and tests
 * can set it); checked once when the function starts.
 */
export const configuredQuotaLimits = (env: NodeJS.ProcessEnv = process.env): QuotaLimits => ({
  plans: planQuotaLimit(env),
  checkpoints: checkpointQuotaLimit(env),
});

/** The composition root of the quota functions. The table name is read per call (the local runtime sets it after loading). */
export const quotaDeps = (env: NodeJS.ProcessEnv = process.env): QuotaDeps => {
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
