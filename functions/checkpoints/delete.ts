import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { deleteCheckpoint } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { checkpointPath, emptyObjectResponse } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.delete',
  { params: checkpointPath, response: emptyObjectResponse },
  ({ params, identity }) => deleteCheckpoint(deps(), identity, params.provider_id, params.checkpoint_id),
  () => ({}),
);
