import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/domain/list-options';
import { listScheduledOperations, operationListRules, operationView } from '../../shared/domain/scheduled-operations';
import { scheduledOperationStore } from '../../shared/runtime/scheduled-operations';
import { regexMatch } from '../../shared/store/paging';
import { queryStrings } from '../../shared/schemas/common';

const deps = { operations: scheduledOperationStore() };

export const handler = route(
  'scheduledOperations.list',
  { query: queryStrings },
  async ({ query, identity }) => {
    const options = parseListOptions(query, operationListRules, identity.isAdmin);
    return { items: await listScheduledOperations(deps, identity, options, regexMatch), limit: options.limit };
  },
  presentPage('operations', operationView, 'scheduled_operations'),
);
