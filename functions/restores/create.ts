import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { coerceParameters, createRestore } from '../../shared/features/restores/use-cases';
import { restoreView } from '../../shared/features/restores/views';
import { restoreDeps } from '../../shared/features/restores/deps';
import { projectPath } from '../../shared/kernel/schemas';
import { createRestoreBody, restoreResponse, withoutRestoreSecrets } from '../../shared/features/restores/schemas';

const deps = perRuntime(() => restoreDeps());

export const handler = route(
  'restores.create',
  // Validated on a copy whose restore_auth values are masked, so a 400 never echoes a password (restore_auth is never kept).
  { params: projectPath, body: createRestoreBody, redact: withoutRestoreSecrets, response: restoreResponse },
  ({ body, identity }) => {
    const input = body.restore;
    return createRestore(deps(), identity, {
      providerId: input.provider_id,
      checkpointId: input.checkpoint_id,
      restoreTarget: input.restore_target ?? null,
      parameters: coerceParameters(input.parameters),
    });
  },
  (restore) => ({ restore: restoreView(restore, deps().clock.now().toISOString()) }),
).use(idempotency());
