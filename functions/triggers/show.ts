import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { findTrigger, loadCalendar } from '../../shared/features/triggers/use-cases';
import { triggerStore } from '../../shared/features/triggers/deps';
import { systemClock } from '../../shared/kernel/ports';
import { triggerPath, triggerResponse } from '../../shared/features/triggers/schemas';

const deps = perRuntime(() => ({ triggers: triggerStore(), clock: systemClock }));

export const handler = route('triggers.show', { params: triggerPath, response: triggerResponse }, async ({ params, identity }) => {
  const [trigger, { triggerView }] = await Promise.all([findTrigger(deps(), identity, params.trigger_id, 'trigger:get'), loadCalendar()]);
  return { trigger_info: triggerView(trigger, deps().clock.now()) };
});
