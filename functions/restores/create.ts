import * as z from 'zod';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { parseWith } from '../../shared/http/validation';
import { coerceParameters, createRestore } from '../../shared/features/restores/use-cases';
import { restoreView } from '../../shared/features/restores/views';
import { restoreDeps } from '../../shared/features/restores/deps';
import { projectPath } from '../../shared/kernel/schemas';
import { createRestoreBody, withoutRestoreSecrets } from '../../shared/features/restores/schemas';

const deps = restoreDeps();

export const handler = route(
  'restores.create',
  // Validated in the action on a copy whose restore_auth values are masked, so a 400 never echoes a password.
  { params: projectPath, body: z.unknown() },
  ({ body, identity }) => {
    const input = parseWith(createRestoreBody, withoutRestoreSecrets(body)).restore;
    return createRestore(deps, identity, {
      providerId: input.provider_id,
      checkpointId: input.checkpoint_id,
      restoreTarget: input.restore_target ?? null,
      parameters: coerceParameters(input.parameters),
    });
  },
  (restore) => ({ restore: restoreView(restore, deps.clock.now().toISOString()) }),
).use(idempotency());
