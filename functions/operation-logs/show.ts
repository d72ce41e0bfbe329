import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { operationLogView } from '../../shared/features/operation-logs/views';
import { showOperationLog } from '../../shared/features/operation-logs/use-cases';
import { operationLogs } from '../../shared/features/operation-logs/deps';
import { operationLogPath, operationLogResponse } from '../../shared/features/operation-logs/schemas';

const deps = perRuntime(() => ({ logs: operationLogs() }));

export const handler = route(
  'operationLogs.show',
  { params: operationLogPath, response: operationLogResponse },
  async ({ params, identity }) => showOperationLog(deps(), identity, params.operation_log_id),
  (log) => ({ operation_log: operationLogView(log) }),
);
