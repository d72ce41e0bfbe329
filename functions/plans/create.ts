import { perRuntime } from '../../shared/runtime-host';
import { createPlan } from '../../shared/features/plans/use-cases';
import { planView } from '../../shared/features/plans/views';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { planEditDeps } from '../../shared/features/plans/deps';
import { protectableCheck } from '../../shared/features/protectables/deps';
import { createPlanBody, planResponse } from '../../shared/features/plans/schemas';

const deps = perRuntime(() => planEditDeps(protectableCheck()));

export const handler = route(
  'plans.create',
  { body: createPlanBody, response: planResponse },
  async ({ body, identity }) => createPlan(deps(), identity, body.plan),
  (plan) => ({ plan: planView(plan) }),
).use(idempotency());
