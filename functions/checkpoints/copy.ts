import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { coerceParameters } from '../../shared/kernel/parameter-types';
import { copyCheckpoints } from '../../shared/features/checkpoints/use-cases';
import { copyView } from '../../shared/features/checkpoints/views';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { copyCheckpointsBody, copyResponse, providerPath } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.copy',
  { params: providerPath, body: copyCheckpointsBody, response: copyResponse },
  ({ params, body, identity }) =>
    copyCheckpoints(deps(), identity.projectId, params.provider_id, {
      planId: body.copy.plan_id,
      parameters: body.copy.parameters === undefined ? undefined : coerceParameters(body.copy.parameters),
    }),
  (result) => ({ copy: copyView(result) }),
).use(idempotency());
