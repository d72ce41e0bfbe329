import type { Plan } from './model';

/** Karbor's plan view (key order as its view builder). */
export const planView = (plan: Plan) => ({
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
});
