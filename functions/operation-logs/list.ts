import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listOperationLogs, operationLogListRules, operationLogView } from '../../shared/domain/operation-logs';
import { operationLogs } from '../../shared/runtime/operation-logs';
import { queryStrings } from '../../shared/schemas/common';

const deps = { logs: operationLogs() };

export const handler = route(
  'operationLogs.list',
  { query: queryStrings },
  listAction(operationLogListRules, (identity, options) => listOperationLogs(deps, identity, options)),
  presentPage('operation_logs', operationLogView, 'operation_logs'),
);
