import { planView, updatePlan } from '../../shared/domain/plans';
import { route } from '../../shared/http/route';
import { planDeps } from '../../shared/runtime/plans';
import { planPath, updatePlanBody } from '../../shared/schemas/plans';

const deps = planDeps();

export const handler = route(
  'plans.update',
  { params: planPath, body: updatePlanBody },
  async ({ params, body, identity }) => updatePlan(deps, identity, params.plan_id, body.plan),
  (plan) => ({ plan: planView(plan) }),
);
