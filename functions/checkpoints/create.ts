import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { createCheckpoint } from '../../shared/features/checkpoints/use-cases';
import { createdCheckpointView } from '../../shared/features/checkpoints/views';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { createdCheckpointResponse, createCheckpointBody, providerPath } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.create',
  { params: providerPath, body: createCheckpointBody, response: createdCheckpointResponse },
  ({ params, body, identity }) =>
    createCheckpoint(deps(), identity.projectId, params.provider_id, {
      planId: body.checkpoint.plan_id,
      extraInfo: body.checkpoint['extra-info'] ?? body.checkpoint.extra_info,
    }),
  (checkpoint) => ({ checkpoint: createdCheckpointView(checkpoint) }),
).use(idempotency());
