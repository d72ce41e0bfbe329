import { route } from '../../shared/http/route';
import { triggerView, updateTrigger } from '../../shared/domain/triggers';
import { triggerDeps } from '../../shared/runtime/trigger-scheduler';
import { triggerPath, updateTriggerBody } from '../../shared/schemas/triggers';

const deps = triggerDeps();

export const handler = route(
  'triggers.update',
  { params: triggerPath, body: updateTriggerBody },
  async ({ params, body, identity }) => updateTrigger(deps, identity, params.trigger_id, body.trigger_info),
  (trigger) => ({ trigger_info: triggerView(trigger) }),
);
