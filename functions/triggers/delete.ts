import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { deleteTrigger } from '../../shared/features/triggers/use-cases';
import { triggerDeps } from '../../shared/features/triggers/deps';
import { triggerPath } from '../../shared/features/triggers/schemas';

const deps = perRuntime(() => triggerDeps());

export const handler = route(
  'triggers.delete',
  { params: triggerPath },
  async ({ params, identity }) => deleteTrigger(deps(), identity, params.trigger_id),
  () => EMPTY_BODY,
);
