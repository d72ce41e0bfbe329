import { listAction, presentPage } from '../../shared/http/links';
import { triggerPageResponse } from '../../shared/features/triggers/schemas';
import { route } from '../../shared/http/route';
import { listTriggers } from '../../shared/features/triggers/use-cases';
import { type Trigger, triggerListRules } from '../../shared/features/triggers/model';
import { triggerView } from '../../shared/features/triggers/views';
import { triggerStore } from '../../shared/features/triggers/deps';
import { regexCompilerFor } from '../../shared/kernel/regex-compiler';
import { listQuery } from '../../shared/kernel/schemas';

const deps = { triggers: triggerStore() };

export const handler = route(
  'triggers.list',
  { query: listQuery(triggerListRules), response: triggerPageResponse },
  listAction(triggerListRules, async (identity, options) => listTriggers(deps, identity, options, await regexCompilerFor(options))),
  (page, input) => {
    const now = new Date();
    return presentPage('triggers', (t: Trigger) => triggerView(t, now), 'triggers')(page, input);
  },
);
