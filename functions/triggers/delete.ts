import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { deleteTrigger } from '../../shared/domain/triggers';
import { newId, triggerStore } from '../../shared/runtime/triggers';
import { triggerLimits, triggerScheduler } from '../../shared/runtime/trigger-scheduler';
import { triggerPath } from '../../shared/schemas/triggers';

const deps = { triggers: triggerStore(), scheduler: triggerScheduler(), limits: triggerLimits(), now: () => new Date(), newId };

export const handler = route(
  'triggers.delete',
  { params: triggerPath },
  async ({ params, identity }) => deleteTrigger(deps, identity, params.trigger_id),
  () => EMPTY_BODY,
);
