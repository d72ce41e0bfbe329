import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { resetCheckpointState } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { checkpointPath, emptyObjectResponse, resetCheckpointBody } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.resetState',
  { params: checkpointPath, body: resetCheckpointBody, response: emptyObjectResponse },
  ({ params, body, identity }) => resetCheckpointState(deps(), identity, params.provider_id, params.checkpoint_id, body['os-resetState'].state),
  () => ({}),
);
