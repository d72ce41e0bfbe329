import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import type { PlanDeps } from './model';
import { planStore } from './store';
import { providerCatalog } from '../providers/deps';
import { quotaLimits } from '../quotas/deps';

/** The composition root of the plan functions: built once per Lambda instance. */
export const planDeps = (): PlanDeps => ({
  plans: planStore(documentClient(), tableName()),
  providers: providerCatalog(),
  // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_PLANS.
  quota: quotaLimits(),
  clock: systemClock,
  ids: randomIds,
});
