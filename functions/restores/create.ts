import { route } from '../../shared/http/route';
import { coerceParameters, createRestore, restoreView } from '../../shared/domain/restores';
import { restoreDeps } from '../../shared/runtime/protection';
import { projectPath } from '../../shared/schemas/common';
import { createRestoreBody } from '../../shared/schemas/protection';

const deps = restoreDeps();

export const handler = route(
  'restores.create',
  { params: projectPath, body: createRestoreBody },
  ({ body, identity }) =>
    createRestore(deps, identity, {
      providerId: body.restore.provider_id,
      checkpointId: body.restore.checkpoint_id,
      restoreTarget: body.restore.restore_target ?? null,
      parameters: coerceParameters(body.restore.parameters),
    }),
  (restore) => ({ restore: restoreView(restore, deps.clock.now().toISOString()) }),
);
