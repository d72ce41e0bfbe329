import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/domain/list-options';
import { listRestores, Restore, restoreListRules, restoreView } from '../../shared/domain/restores';
import { restoreDeps } from '../../shared/runtime/protection';
import { projectPath, queryStrings } from '../../shared/schemas/common';

const deps = restoreDeps();

export const handler = route(
  'restores.list',
  { params: projectPath, query: queryStrings },
  async ({ query, identity }) => {
    const options = parseListOptions(query, restoreListRules, identity.isAdmin);
    return { items: await listRestores(deps, identity, options), limit: options.limit };
  },
  (page, input) => {
    const now = deps.clock.now().toISOString();
    return presentPage('restores', (r: Restore) => restoreView(r, now), 'restores')(page, input);
  },
);
