import { route } from '../../shared/http/route';
import { restoreView, showRestore } from '../../shared/domain/restores';
import { restoreDeps } from '../../shared/runtime/protection';
import { restorePath } from '../../shared/schemas/protection';

const deps = restoreDeps();

export const handler = route(
  'restores.show',
  { params: restorePath },
  ({ params, identity }) => showRestore(deps, identity, params.restore_id),
  (restore) => ({ restore: restoreView(restore, deps.clock.now().toISOString()) }),
);
