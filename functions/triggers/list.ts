import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listTriggers } from '../../shared/features/triggers/use-cases';
import { triggerListRules } from '../../shared/features/triggers/model';
import { triggerView } from '../../shared/features/triggers/views';
import { triggerStore } from '../../shared/features/triggers/deps';
import { compileRegexFilter } from '../../shared/kernel/regex-filter';
import { queryStrings } from '../../shared/kernel/schemas';

const deps = { triggers: triggerStore() };

export const handler = route(
  'triggers.list',
  { query: queryStrings },
  listAction(triggerListRules, (identity, options) => listTriggers(deps, identity, options, compileRegexFilter)),
  presentPage('triggers', triggerView, 'triggers'),
);
