import { karborTime } from '../../kernel/karbor-text';
import type { Compliance, JudgedPlan } from './model';

/** The `compliance` extension (docs/decisions.md §20): Karbor's time text, null where there is nothing to say. */
export const complianceView = (c: Compliance) => ({
  status: c.status,
  last_good_checkpoint_at: c.lastGoodAt === null ? null : karborTime(c.lastGoodAt),
  expected_interval_seconds: c.expectedIntervalSeconds,
  late_since: c.lateSince === null ? null : karborTime(c.lateSince),
  last_verified_at: c.lastVerifiedAt === null ? null : karborTime(c.lastVerifiedAt),
});

/** Karbor's plan view (key order as its view builder), then our `compliance` and `destinations` extensions. */
export const planView = (plan: JudgedPlan) => ({
  id: plan.id,
  name: plan.name,
  description: plan.description,
  resources: plan.resources.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    ...(r.extra_info !== undefined ? { extra_info: r.extra_info } : {}),
  })),
  provider_id: plan.providerId,
  status: plan.status,
  parameters: plan.parameters,
  compliance: complianceView(plan.compliance),
  destinations: plan.destinations ?? [],
});
