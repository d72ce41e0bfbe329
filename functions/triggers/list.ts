import { perRuntime } from '../../shared/runtime-host';
import { listAction, presentPage } from '../../shared/http/links';
import { triggerPageResponse } from '../../shared/features/triggers/schemas';
import { route } from '../../shared/http/route';
import { listTriggers, loadCalendar } from '../../shared/features/triggers/use-cases';
import { triggerListRules } from '../../shared/features/triggers/model';
import { triggerStore } from '../../shared/features/triggers/deps';
import { systemClock } from '../../shared/kernel/ports';
import { regexCompilerFor } from '../../shared/kernel/regex-compiler';
import { listQuery } from '../../shared/kernel/schemas';

const deps = perRuntime(() => ({ triggers: triggerStore(), clock: systemClock }));

export const handler = route(
  'triggers.list',
  { query: listQuery(triggerListRules), response: triggerPageResponse },
  listAction(triggerListRules, async (identity, options) => {
    const [triggers, { triggerView }] = await Promise.all([listTriggers(deps(), identity, options, await regexCompilerFor(options)), loadCalendar()]);
    const now = deps().clock.now();
    return triggers.map((t) => triggerView(t, now));
  }),
  presentPage('triggers', (view) => view, 'triggers'),
);
