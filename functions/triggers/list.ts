import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/domain/list-options';
import { listTriggers, triggerListRules, triggerView } from '../../shared/domain/triggers';
import { triggerStore } from '../../shared/runtime/triggers';
import { regexMatch } from '../../shared/store/paging';
import { queryStrings } from '../../shared/schemas/common';

const deps = { triggers: triggerStore() };

export const handler = route(
  'triggers.list',
  { query: queryStrings },
  async ({ query, identity }) => {
    const options = parseListOptions(query, triggerListRules, identity.isAdmin);
    return { items: await listTriggers(deps, identity, options, regexMatch), limit: options.limit };
  },
  presentPage('triggers', triggerView, 'triggers'),
);
