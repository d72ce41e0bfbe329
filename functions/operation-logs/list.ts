import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/domain/list-options';
import { listOperationLogs, operationLogListRules, operationLogView } from '../../shared/domain/operation-logs';
import { operationLogs } from '../../shared/runtime/operation-logs';
import { queryStrings } from '../../shared/schemas/common';

const deps = { logs: operationLogs() };

export const handler = route(
  'operationLogs.list',
  { query: queryStrings },
  async ({ query, identity }) => {
    const options = parseListOptions(query, operationLogListRules, identity.isAdmin);
    return { items: await listOperationLogs(deps, identity, options), limit: options.limit };
  },
  presentPage('operation_logs', operationLogView, 'operation_logs'),
);
