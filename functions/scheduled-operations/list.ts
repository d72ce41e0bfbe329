import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listScheduledOperations } from '../../shared/features/scheduled-operations/use-cases';
import { operationListRules } from '../../shared/features/scheduled-operations/model';
import { operationView } from '../../shared/features/scheduled-operations/views';
import { scheduledOperationStore } from '../../shared/features/scheduled-operations/deps';
import { compileRegexFilter } from '../../shared/kernel/regex-filter';
import { queryStrings } from '../../shared/kernel/schemas';

const deps = { operations: scheduledOperationStore() };

export const handler = route(
  'scheduledOperations.list',
  { query: queryStrings },
  listAction(operationListRules, (identity, options) => listScheduledOperations(deps, identity, options, compileRegexFilter)),
  presentPage('operations', operationView, 'scheduled_operations'),
);
