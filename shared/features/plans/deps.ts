import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import type { PlanDeps, PlanEditDeps } from './model';
import { planStore } from './store';
import { providerCatalog } from '../providers/deps';
import { quotaLimits } from '../quotas/deps';
import { instanceSources } from '../protectables/deps';
import { unseenResource } from '../protectables/use-cases';

/** The composition root of the plan functions: built once per Lambda instance. */
export const planDeps = (): PlanDeps => ({
  plans: planStore(documentClient(), tableName()),
  providers: providerCatalog(),
  // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_PLANS.
  quota: quotaLimits(),
  clock: systemClock,
  ids: randomIds,
});

/** For create and update, which check the resources against discovery (only they bundle the EC2 and tag lookups). */
export const planEditDeps = (): PlanEditDeps => {
  const sources = instanceSources();
  return { ...planDeps(), protectables: { unseen: (projectId, resources) => unseenResource(sources, projectId, resources) } };
};
