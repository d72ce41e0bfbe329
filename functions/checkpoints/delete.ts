import { route } from '../../shared/http/route';
import { deleteCheckpoint } from '../../shared/domain/checkpoints';
import { checkpointDeps } from '../../shared/runtime/protection';
import { checkpointPath } from '../../shared/schemas/protection';

const deps = checkpointDeps();

export const handler = route(
  'checkpoints.delete',
  { params: checkpointPath },
  ({ params, identity }) => deleteCheckpoint(deps, identity, params.provider_id, params.checkpoint_id),
  () => ({}),
);
