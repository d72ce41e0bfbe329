import { perRuntime } from '../../shared/runtime-host';
import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listScheduledOperations, type OperationWithTrigger, withTriggers } from '../../shared/features/scheduled-operations/use-cases';
import { operationListRules } from '../../shared/features/scheduled-operations/model';
import { operationView } from '../../shared/features/scheduled-operations/views';
import { scheduledOperationReadDeps } from '../../shared/features/scheduled-operations/deps';
import { regexCompilerFor } from '../../shared/kernel/regex-compiler';
import { listQuery } from '../../shared/kernel/schemas';
import { operationPageResponse } from '../../shared/features/scheduled-operations/schemas';

const deps = perRuntime(() => scheduledOperationReadDeps());
const list = listAction(operationListRules, async (identity, options) => listScheduledOperations(deps(), identity, options, await regexCompilerFor(options)));

export const handler = route(
  'scheduledOperations.list',
  { query: listQuery(operationListRules), response: operationPageResponse },
  async (input) => {
    const page = await list(input);
    return { ...page, items: await withTriggers(deps(), page.items) };
  },
  presentPage('operations', ({ op, nextRun }: OperationWithTrigger) => operationView(op, nextRun), 'scheduled_operations'),
);
