import { route } from '../../shared/http/route';
import { findTrigger } from '../../shared/features/triggers/use-cases';
import { triggerView } from '../../shared/features/triggers/views';
import { triggerStore } from '../../shared/features/triggers/deps';
import { triggerPath, triggerResponse } from '../../shared/features/triggers/schemas';

const deps = { triggers: triggerStore() };

export const handler = route(
  'triggers.show',
  { params: triggerPath, response: triggerResponse },
  async ({ params, identity }) => findTrigger(deps, identity, params.trigger_id, 'trigger:get'),
  (trigger) => ({ trigger_info: triggerView(trigger, new Date()) }),
);
