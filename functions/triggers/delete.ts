import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { deleteTrigger } from '../../shared/domain/triggers';
import { triggerDeps } from '../../shared/runtime/trigger-scheduler';
import { triggerPath } from '../../shared/schemas/triggers';

const deps = triggerDeps();

export const handler = route(
  'triggers.delete',
  { params: triggerPath },
  async ({ params, identity }) => deleteTrigger(deps, identity, params.trigger_id),
  () => EMPTY_BODY,
);
