import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { deleteScheduledOperation } from '../../shared/features/scheduled-operations/use-cases';
import { scheduledOperationStore } from '../../shared/features/scheduled-operations/deps';
import { scheduledOperationPath } from '../../shared/features/scheduled-operations/schemas';

const deps = perRuntime(() => ({ operations: scheduledOperationStore() }));

export const handler = route(
  'scheduledOperations.delete',
  { params: scheduledOperationPath },
  async ({ params, identity }) => deleteScheduledOperation(deps(), identity, params.scheduled_operation_id),
  () => EMPTY_BODY,
);
