import { route } from '../../shared/http/route';
import { showVerification, verificationView } from '../../shared/domain/verifications';
import { verificationDeps } from '../../shared/runtime/protection';
import { verificationPath } from '../../shared/schemas/protection';

const deps = verificationDeps();

export const handler = route(
  'verifications.show',
  { params: verificationPath },
  ({ params, identity }) => showVerification(deps, identity, params.verification_id),
  (v) => ({ verification: verificationView(v) }),
);
