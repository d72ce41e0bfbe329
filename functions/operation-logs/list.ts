import { perRuntime } from '../../shared/runtime-host';
import { listAction, presentPage } from '../../shared/http/links';
import { operationLogPageResponse } from '../../shared/features/operation-logs/schemas';
import { route } from '../../shared/http/route';
import { listOperationLogs } from '../../shared/features/operation-logs/use-cases';
import { operationLogListRules } from '../../shared/features/operation-logs/model';
import { operationLogView } from '../../shared/features/operation-logs/views';
import { operationLogs } from '../../shared/features/operation-logs/deps';
import { listQuery } from '../../shared/kernel/schemas';

const deps = perRuntime(() => ({ logs: operationLogs() }));

export const handler = route(
  'operationLogs.list',
  { query: listQuery(operationLogListRules), response: operationLogPageResponse },
  listAction(operationLogListRules, (identity, options) => listOperationLogs(deps(), identity, options)),
  presentPage('operation_logs', operationLogView, 'operation_logs'),
);
