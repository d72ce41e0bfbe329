import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { checkpointView } from '../../shared/features/checkpoints/views';
import { findCheckpoint } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { checkpointPath, checkpointResponse } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.show',
  { params: checkpointPath, response: checkpointResponse },
  ({ params, identity }) => findCheckpoint(deps(), identity, params.provider_id, params.checkpoint_id),
  (checkpoint) => ({ checkpoint: checkpointView(checkpoint, deps().clock.now().toISOString()) }),
);
