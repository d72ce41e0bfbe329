import { perRuntime } from '../../shared/runtime-host';
import { planView } from '../../shared/features/plans/views';
import { showPlan } from '../../shared/features/plans/use-cases';
import { route } from '../../shared/http/route';
import { planDeps } from '../../shared/features/plans/deps';
import { planPath, planResponse } from '../../shared/features/plans/schemas';

const deps = perRuntime(() => planDeps());

export const handler = route(
  'plans.show',
  { params: planPath, response: planResponse },
  async ({ params, identity }) => showPlan(deps(), identity, params.plan_id),
  (plan) => ({ plan: planView(plan) }),
);
