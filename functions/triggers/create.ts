import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { createTrigger } from '../../shared/features/triggers/use-cases';
import { triggerView } from '../../shared/features/triggers/views';
import { triggerDeps } from '../../shared/features/triggers/deps';
import { createTriggerBody, triggerResponse } from '../../shared/features/triggers/schemas';

const deps = triggerDeps();

export const handler = route(
  'triggers.create',
  { body: createTriggerBody, response: triggerResponse },
  async ({ body, identity }) => createTrigger(deps, identity, body.trigger_info),
  (trigger) => ({ trigger_info: triggerView(trigger, deps.clock.now()) }),
).use(idempotency());
