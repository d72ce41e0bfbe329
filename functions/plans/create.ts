import { createPlan, planView } from '../../shared/domain/plans';
import { route } from '../../shared/http/route';
import { planDeps } from '../../shared/runtime/plans';
import { createPlanBody } from '../../shared/schemas/plans';

const deps = planDeps();

export const handler = route(
  'plans.create',
  { body: createPlanBody },
  async ({ body, identity }) => createPlan(deps, identity, body.plan),
  (plan) => ({ plan: planView(plan) }),
);
