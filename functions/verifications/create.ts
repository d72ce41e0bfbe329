import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { coerceParameters } from '../../shared/features/restores/use-cases';
import { createVerification } from '../../shared/features/verifications/use-cases';
import { verificationView } from '../../shared/features/verifications/views';
import { verificationDeps } from '../../shared/features/verifications/deps';
import { projectPath } from '../../shared/kernel/schemas';
import { createVerificationBody, verificationResponse } from '../../shared/features/verifications/schemas';

const deps = perRuntime(() => verificationDeps());

export const handler = route(
  'verifications.create',
  { params: projectPath, body: createVerificationBody, response: verificationResponse },
  ({ body, identity }) =>
    createVerification(deps(), identity, {
      providerId: body.verification.provider_id,
      checkpointId: body.verification.checkpoint_id,
      parameters: coerceParameters(body.verification.parameters ?? {}),
    }),
  (v) => ({ verification: verificationView(v, deps().clock.now().toISOString()) }),
).use(idempotency());
