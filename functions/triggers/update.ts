import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { loadCalendar, updateTrigger } from '../../shared/features/triggers/use-cases';
import { triggerDeps } from '../../shared/features/triggers/deps';
import { triggerPath, triggerResponse, updateTriggerBody } from '../../shared/features/triggers/schemas';

const deps = perRuntime(() => triggerDeps());

export const handler = route(
  'triggers.update',
  { params: triggerPath, body: updateTriggerBody, response: triggerResponse },
  async ({ params, body, identity }) => {
    const [trigger, { triggerView }] = await Promise.all([updateTrigger(deps(), identity, params.trigger_id, body.trigger_info), loadCalendar()]);
    return { trigger_info: triggerView(trigger, deps().clock.now()) };
  },
);
