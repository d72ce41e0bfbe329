import { route } from '../../shared/http/route';
import { createTrigger, triggerView } from '../../shared/domain/triggers';
import { newId, triggerStore } from '../../shared/runtime/triggers';
import { triggerLimits, triggerScheduler } from '../../shared/runtime/trigger-scheduler';
import { createTriggerBody } from '../../shared/schemas/triggers';

const deps = { triggers: triggerStore(), scheduler: triggerScheduler(), limits: triggerLimits(), now: () => new Date(), newId };

export const handler = route(
  'triggers.create',
  { body: createTriggerBody },
  async ({ body, identity }) => createTrigger(deps, identity, body.trigger_info),
  (trigger) => ({ trigger_info: triggerView(trigger) }),
);
