import { route } from '../../shared/http/route';
import { resetCheckpointState } from '../../shared/domain/checkpoints';
import { checkpointDeps } from '../../shared/runtime/protection';
import { checkpointPath, resetCheckpointBody } from '../../shared/schemas/protection';

const deps = checkpointDeps();

export const handler = route(
  'checkpoints.resetState',
  { params: checkpointPath, body: resetCheckpointBody },
  ({ params, body, identity }) =>
    resetCheckpointState(deps, identity, params.provider_id, params.checkpoint_id, body['os-resetState'].state),
  () => ({}),
);
