import { randomUUID } from 'node:crypto';
import { documentClient, tableName } from '../aws/dynamo';
import type { PlanDeps } from '../domain/plans';
import { planStore } from '../store/plans';
import { providerCatalog } from './providers';
import { quotaLimits } from './quotas';

/** The composition root of the plan functions: built once per Lambda instance. */
export const planDeps = (): PlanDeps => ({
  plans: planStore(documentClient(), tableName()),
  providers: providerCatalog(),
  // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_PLANS.
  quota: quotaLimits(),
  clock: { now: () => new Date() },
  ids: { newId: () => randomUUID() },
});
