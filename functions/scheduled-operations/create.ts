import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { createScheduledOperation } from '../../shared/features/scheduled-operations/use-cases';
import { operationView } from '../../shared/features/scheduled-operations/views';
import { createScheduledOperationDeps } from '../../shared/features/scheduled-operations/deps';
import { createScheduledOperationBody } from '../../shared/features/scheduled-operations/schemas';

const deps = createScheduledOperationDeps();

export const handler = route(
  'scheduledOperations.create',
  { body: createScheduledOperationBody },
  async ({ body, identity }) => createScheduledOperation(deps, identity, body.scheduled_operation),
  (op) => ({ scheduled_operation: operationView(op) }),
).use(idempotency());
