import { route } from '../../shared/http/route';
import { findScheduledOperation, operationView } from '../../shared/domain/scheduled-operations';
import { scheduledOperationStore } from '../../shared/runtime/scheduled-operations';
import { scheduledOperationPath } from '../../shared/schemas/scheduled-operations';

const deps = { operations: scheduledOperationStore() };

export const handler = route(
  'scheduledOperations.show',
  { params: scheduledOperationPath },
  async ({ params, identity }) => findScheduledOperation(deps, identity, params.scheduled_operation_id, 'scheduled_operation:get'),
  (op) => ({ scheduled_operation: operationView(op) }),
);
