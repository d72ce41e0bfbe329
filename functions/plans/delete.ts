import { deletePlan } from '../../shared/domain/plans';
import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { planDeps } from '../../shared/runtime/plans';
import { planPath } from '../../shared/schemas/plans';

const deps = planDeps();

export const handler = route(
  'plans.delete',
  { params: planPath },
  async ({ params, identity }) => deletePlan(deps, identity, params.plan_id),
  () => EMPTY_BODY,
);
