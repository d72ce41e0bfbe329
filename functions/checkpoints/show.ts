import { route } from '../../shared/http/route';
import { checkpointView, findCheckpoint } from '../../shared/domain/checkpoints';
import { checkpointDeps } from '../../shared/runtime/protection';
import { checkpointPath } from '../../shared/schemas/protection';

const deps = checkpointDeps();

export const handler = route(
  'checkpoints.show',
  { params: checkpointPath },
  ({ params, identity }) => findCheckpoint(deps, identity, params.provider_id, params.checkpoint_id),
  (checkpoint) => ({ checkpoint: checkpointView(checkpoint, deps.clock.now().toISOString()) }),
);
