import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listScheduledOperations, operationListRules, operationView } from '../../shared/domain/scheduled-operations';
import { scheduledOperationStore } from '../../shared/runtime/scheduled-operations';
import { regexMatch } from '../../shared/store/paging';
import { queryStrings } from '../../shared/schemas/common';

const deps = { operations: scheduledOperationStore() };

export const handler = route(
  'scheduledOperations.list',
  { query: queryStrings },
  listAction(operationListRules, (identity, options) => listScheduledOperations(deps, identity, options, regexMatch)),
  presentPage('operations', operationView, 'scheduled_operations'),
);
