import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { createTrigger, loadCalendar } from '../../shared/features/triggers/use-cases';
import { triggerDeps } from '../../shared/features/triggers/deps';
import { createTriggerBody, triggerResponse } from '../../shared/features/triggers/schemas';

const deps = perRuntime(() => triggerDeps());

export const handler = route('triggers.create', { body: createTriggerBody, response: triggerResponse }, async ({ body, identity }) => {
  const trigger = await createTrigger(deps(), identity, body.trigger_info);
  return { trigger_info: (await loadCalendar()).triggerView(trigger, deps().clock.now()) };
}).use(idempotency());
