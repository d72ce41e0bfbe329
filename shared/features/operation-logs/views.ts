import { karborTime } from '../../kernel/karbor-text';
import type { OperationLog } from './model';

/** The view: no project_id although the api-ref lists it (docs/contract.md §13.1 #13). */
export const operationLogView = (log: OperationLog) => ({
  id: log.id,
  operation_type: log.operationType,
  checkpoint_id: log.checkpointId,
  plan_id: log.planId,
  provider_id: log.providerId,
  restore_id: log.restoreId,
  scheduled_operation_id: log.scheduledOperationId,
  status: log.status,
  started_at: log.startedAt === null ? null : karborTime(log.startedAt),
  ended_at: log.endedAt === null ? null : karborTime(log.endedAt),
  error_info: log.errorInfo,
  extra_info: log.extraInfo,
});
