import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { checkpointView } from '../../shared/features/checkpoints/views';
import { lockCheckpoint } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import type { CheckpointDataLocks } from '../../shared/features/checkpoints/model';
import { checkpointPath, checkpointResponse, lockCheckpointBody } from '../../shared/features/checkpoints/schemas';

// The lock goes onto the item (checkpoints) and onto the data in the bank, which the protection feature owns.
// Its deps (plugins, bank clients: about 35 KB) load with the first lock, not at every cold start (BENCHMARKS.md §5).
const bankLocks = perRuntime(() => import('../../shared/features/protection/deps').then((m) => m.checkpointDataLocks()));
const dataLocks: CheckpointDataLocks = {
  apply: async (checkpointId, change, checkpoint) => (await bankLocks()).apply(checkpointId, change, checkpoint),
};
const deps = perRuntime(() => ({ ...checkpointDeps(), dataLocks }));

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
