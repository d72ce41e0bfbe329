import { route } from '../../shared/http/route';
import { createTrigger, triggerView } from '../../shared/domain/triggers';
import { triggerDeps } from '../../shared/runtime/trigger-scheduler';
import { createTriggerBody } from '../../shared/schemas/triggers';

const deps = triggerDeps();

export const handler = route(
  'triggers.create',
  { body: createTriggerBody },
  async ({ body, identity }) => createTrigger(deps, identity, body.trigger_info),
  (trigger) => ({ trigger_info: triggerView(trigger) }),
);
