import { formatKarborTime, karborTime } from '../../kernel/karbor-text';
import type { ScheduledOperation } from './model';

/**
 * The view of show/create and of list items (bare). `last_run` and
 * `next_run` are our extensions: the latest run as its operation log has it,
 * and the trigger's next firing (null once it has ended, or without a trigger).
 */
export const operationView = (op: ScheduledOperation, next: Date | undefined) => {
  return {
    id: op.id,
    name: op.name,
    description: op.description,
    operation_type: op.operationType,
    trigger_id: op.triggerId,
    operation_definition: op.operationDefinition,
    enabled: op.enabled,
    last_run: op.lastRun ? { time: karborTime(op.lastRun.time), status: op.lastRun.status, operation_log_id: op.lastRun.logId } : null,
    next_run: next ? formatKarborTime(next) : null,
  };
};
