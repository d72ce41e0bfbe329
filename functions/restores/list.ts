import { perRuntime } from '../../shared/runtime-host';
import { presentPage } from '../../shared/http/links';
import { restorePageResponse } from '../../shared/features/restores/schemas';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/kernel/list-options';
import { listRestores } from '../../shared/features/restores/use-cases';
import { type Restore, restoreListRules } from '../../shared/features/restores/model';
import { restoreView } from '../../shared/features/restores/views';
import { restoreDeps } from '../../shared/features/restores/deps';
import { listQuery, projectPath } from '../../shared/kernel/schemas';

const deps = perRuntime(() => restoreDeps());

export const handler = route(
  'restores.list',
  { params: projectPath, query: listQuery(restoreListRules), response: restorePageResponse },
  async ({ query, identity }) => {
    const options = parseListOptions(query, restoreListRules, identity.isAdmin);
    return { items: await listRestores(deps(), identity, options), limit: options.limit };
  },
  (page, input) => {
    const now = deps().clock.now().toISOString();
    return presentPage('restores', (r: Restore) => restoreView(r, now), 'restores')(page, input);
  },
);
