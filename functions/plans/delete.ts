import { perRuntime } from '../../shared/runtime-host';
import { deletePlan } from '../../shared/features/plans/use-cases';
import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { planDeps } from '../../shared/features/plans/deps';
import { planPath } from '../../shared/features/plans/schemas';

const deps = perRuntime(() => planDeps());

export const handler = route(
  'plans.delete',
  { params: planPath },
  async ({ params, identity }) => deletePlan(deps(), identity, params.plan_id),
  () => EMPTY_BODY,
);
