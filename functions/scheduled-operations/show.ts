import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { findScheduledOperation, withTriggers } from '../../shared/features/scheduled-operations/use-cases';
import { operationView } from '../../shared/features/scheduled-operations/views';
import { scheduledOperationReadDeps } from '../../shared/features/scheduled-operations/deps';
import { operationResponse, scheduledOperationPath } from '../../shared/features/scheduled-operations/schemas';

const deps = perRuntime(() => scheduledOperationReadDeps());

export const handler = route(
  'scheduledOperations.show',
  { params: scheduledOperationPath, response: operationResponse },
  async ({ params, identity }) => {
    const op = await findScheduledOperation(deps(), identity, params.scheduled_operation_id, 'scheduled_operation:get');
    return (await withTriggers(deps(), [op]))[0];
  },
  ({ op, nextRun }) => ({ scheduled_operation: operationView(op, nextRun) }),
);
