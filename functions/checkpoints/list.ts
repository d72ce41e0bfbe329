import { perRuntime } from '../../shared/runtime-host';
import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/kernel/list-options';
import { type Checkpoint, checkpointListRules } from '../../shared/features/checkpoints/model';
import { checkpointView } from '../../shared/features/checkpoints/views';
import { listCheckpoints } from '../../shared/features/checkpoints/use-cases';
import { checkpointDeps } from '../../shared/features/checkpoints/deps';
import { listQuery } from '../../shared/kernel/schemas';
import { checkpointPageResponse, providerPath } from '../../shared/features/checkpoints/schemas';

const deps = perRuntime(() => checkpointDeps());

export const handler = route(
  'checkpoints.list',
  { params: providerPath, query: listQuery(checkpointListRules), response: checkpointPageResponse },
  async ({ params, query, identity }) => {
    const options = parseListOptions(query, checkpointListRules, identity.isAdmin);
    return { items: await listCheckpoints(deps(), identity, params.provider_id, options), limit: options.limit };
  },
  (page, input) => {
    const now = deps().clock.now().toISOString();
    // docs/decisions.md §5: next links on the real collection path (Karbor drops providers/<id>/).
    return presentPage('checkpoints', (c: Checkpoint) => checkpointView(c, now), `providers/${input.params.provider_id}/checkpoints`)(page, input);
  },
);
