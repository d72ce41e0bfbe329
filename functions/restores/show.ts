import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { restoreView } from '../../shared/features/restores/views';
import { showRestore } from '../../shared/features/restores/use-cases';
import { restoreDeps } from '../../shared/features/restores/deps';
import { restorePath, restoreResponse } from '../../shared/features/restores/schemas';

const deps = perRuntime(() => restoreDeps());

export const handler = route(
  'restores.show',
  { params: restorePath, response: restoreResponse },
  ({ params, identity }) => showRestore(deps(), identity, params.restore_id),
  (restore) => ({ restore: restoreView(restore, deps().clock.now().toISOString()) }),
);
