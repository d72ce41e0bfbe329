import { route } from '../../shared/http/route';
import { triggerView, updateTrigger } from '../../shared/domain/triggers';
import { newId, triggerStore } from '../../shared/runtime/triggers';
import { triggerLimits, triggerScheduler } from '../../shared/runtime/trigger-scheduler';
import { triggerPath, updateTriggerBody } from '../../shared/schemas/triggers';

const deps = { triggers: triggerStore(), scheduler: triggerScheduler(), limits: triggerLimits(), now: () => new Date(), newId };

export const handler = route(
  'triggers.update',
  { params: triggerPath, body: updateTriggerBody },
  async ({ params, body, identity }) => updateTrigger(deps, identity, params.trigger_id, body.trigger_info),
  (trigger) => ({ trigger_info: triggerView(trigger) }),
);
