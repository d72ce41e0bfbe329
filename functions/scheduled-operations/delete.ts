import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { deleteScheduledOperation } from '../../shared/domain/scheduled-operations';
import { scheduledOperationStore } from '../../shared/runtime/scheduled-operations';
import { scheduledOperationPath } from '../../shared/schemas/scheduled-operations';

const deps = { operations: scheduledOperationStore() };

export const handler = route(
  'scheduledOperations.delete',
  { params: scheduledOperationPath },
  async ({ params, identity }) => deleteScheduledOperation(deps, identity, params.scheduled_operation_id),
  () => EMPTY_BODY,
);
