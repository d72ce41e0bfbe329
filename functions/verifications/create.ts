import { route } from '../../shared/http/route';
import { coerceParameters } from '../../shared/domain/restores';
import { createVerification, verificationView } from '../../shared/domain/verifications';
import { verificationDeps } from '../../shared/runtime/protection';
import { projectPath } from '../../shared/schemas/common';
import { createVerificationBody } from '../../shared/schemas/protection';

const deps = verificationDeps();

export const handler = route(
  'verifications.create',
  { params: projectPath, body: createVerificationBody },
  ({ body, identity }) =>
    createVerification(deps, identity, {
      providerId: body.verification.provider_id,
      checkpointId: body.verification.checkpoint_id,
      parameters: coerceParameters(body.verification.parameters ?? {}),
    }),
  (v) => ({ verification: verificationView(v) }),
);
