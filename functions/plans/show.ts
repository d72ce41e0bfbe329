import { planView, showPlan } from '../../shared/domain/plans';
import { route } from '../../shared/http/route';
import { planDeps } from '../../shared/runtime/plans';
import { planPath } from '../../shared/schemas/plans';

const deps = planDeps();

export const handler = route(
  'plans.show',
  { params: planPath },
  async ({ params, identity }) => showPlan(deps, identity, params.plan_id),
  (plan) => ({ plan: planView(plan) }),
);
