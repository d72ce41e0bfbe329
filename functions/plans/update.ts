import { perRuntime } from '../../shared/runtime-host';
import { planView } from '../../shared/features/plans/views';
import { updatePlan } from '../../shared/features/plans/use-cases';
import { route } from '../../shared/http/route';
import { planEditDeps } from '../../shared/features/plans/deps';
import { protectableCheck } from '../../shared/features/protectables/deps';
import { planPath, planResponse, updatePlanBody } from '../../shared/features/plans/schemas';

const deps = perRuntime(() => planEditDeps(protectableCheck()));

export const handler = route(
  'plans.update',
  { params: planPath, body: updatePlanBody, response: planResponse },
  async ({ params, body, identity }) => updatePlan(deps(), identity, params.plan_id, body.plan),
  (plan) => ({ plan: planView(plan) }),
);
