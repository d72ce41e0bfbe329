import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { checkpointView } from '../../shared/features/checkpoints/views';
import { lockCheckpoint } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { checkpointDataLocks } from '../../shared/features/protection/deps';
import { checkpointPath, checkpointResponse, lockCheckpointBody } from '../../shared/features/checkpoints/schemas';

// The lock goes onto the item (checkpoints) and onto the data in the bank, which the protection feature owns.
const deps = perRuntime(() => ({ ...checkpointDeps(), dataLocks: checkpointDataLocks() }));

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
