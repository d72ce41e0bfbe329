import { route } from '../../shared/http/route';
import { createCheckpoint, createdCheckpointView } from '../../shared/domain/checkpoints';
import { checkpointDeps } from '../../shared/runtime/protection';
import { createCheckpointBody, providerPath } from '../../shared/schemas/protection';

const deps = checkpointDeps();

export const handler = route(
  'checkpoints.create',
  { params: providerPath, body: createCheckpointBody },
  ({ params, body, identity }) =>
    createCheckpoint(deps, identity.projectId, params.provider_id, {
      planId: body.checkpoint.plan_id,
      extraInfo: body.checkpoint['extra-info'] ?? body.checkpoint.extra_info,
    }),
  (checkpoint) => ({ checkpoint: createdCheckpointView(checkpoint) }),
);
