import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { showVerification } from '../../shared/features/verifications/use-cases';
import { verificationView } from '../../shared/features/verifications/views';
import { verificationDeps } from '../../shared/features/verifications/deps';
import { verificationPath, verificationResponse } from '../../shared/features/verifications/schemas';

const deps = perRuntime(() => verificationDeps());

export const handler = route(
  'verifications.show',
  { params: verificationPath, response: verificationResponse },
  ({ params, identity }) => showVerification(deps(), identity, params.verification_id),
  (v) => ({ verification: verificationView(v, deps().clock.now().toISOString()) }),
);
