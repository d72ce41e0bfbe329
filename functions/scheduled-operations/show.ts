import { route } from '../../shared/http/route';
import { findScheduledOperation } from '../../shared/features/scheduled-operations/use-cases';
import { operationView } from '../../shared/features/scheduled-operations/views';
import { scheduledOperationStore } from '../../shared/features/scheduled-operations/deps';
import { scheduledOperationPath } from '../../shared/features/scheduled-operations/schemas';

const deps = { operations: scheduledOperationStore() };

export const handler = route(
  'scheduledOperations.show',
  { params: scheduledOperationPath },
  async ({ params, identity }) => findScheduledOperation(deps, identity, params.scheduled_operation_id, 'scheduled_operation:get'),
  (op) => ({ scheduled_operation: operationView(op) }),
);
