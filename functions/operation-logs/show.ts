import { route } from '../../shared/http/route';
import { operationLogView, showOperationLog } from '../../shared/domain/operation-logs';
import { operationLogs } from '../../shared/runtime/operation-logs';
import { operationLogPath } from '../../shared/schemas/operation-logs';

const deps = { logs: operationLogs() };

export const handler = route(
  'operationLogs.show',
  { params: operationLogPath },
  async ({ params, identity }) => showOperationLog(deps, identity, params.operation_log_id),
  (log) => ({ operation_log: operationLogView(log) }),
);
