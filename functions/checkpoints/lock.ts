import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { checkpointView } from '../../shared/features/checkpoints/views';
import { lockCheckpoint } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { checkpointPath, checkpointResponse, lockCheckpointBody } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.lock',
  { params: checkpointPath, body: lockCheckpointBody, response: checkpointResponse },
  ({ params, body, identity }) =>
    lockCheckpoint(deps(), identity, params.provider_id, params.checkpoint_id, {
      ...(body.lock === undefined ? {} : { lock: body.lock }),
      ...(body.legal_hold === undefined ? {} : { legalHold: body.legal_hold }),
    }),
  (checkpoint) => ({ checkpoint: checkpointView(checkpoint, deps().clock.now().toISOString()) }),
);
