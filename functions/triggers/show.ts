import { route } from '../../shared/http/route';
import { findTrigger, triggerView } from '../../shared/domain/triggers';
import { triggerStore } from '../../shared/runtime/triggers';
import { triggerPath } from '../../shared/schemas/triggers';

const deps = { triggers: triggerStore() };

export const handler = route(
  'triggers.show',
  { params: triggerPath },
  async ({ params, identity }) => findTrigger(deps, identity, params.trigger_id, 'trigger:get'),
  (trigger) => ({ trigger_info: triggerView(trigger) }),
);
