import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listTriggers, triggerListRules, triggerView } from '../../shared/domain/triggers';
import { triggerStore } from '../../shared/runtime/triggers';
import { regexMatch } from '../../shared/store/paging';
import { queryStrings } from '../../shared/schemas/common';

const deps = { triggers: triggerStore() };

export const handler = route(
  'triggers.list',
  { query: queryStrings },
  listAction(triggerListRules, (identity, options) => listTriggers(deps, identity, options, regexMatch)),
  presentPage('triggers', triggerView, 'triggers'),
);
