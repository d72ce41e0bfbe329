import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { idempotency } from '../../shared/http/middleware/idempotency';
import { createScheduledOperation, withTriggers } from '../../shared/features/scheduled-operations/use-cases';
import { operationView } from '../../shared/features/scheduled-operations/views';
import { createScheduledOperationDeps } from '../../shared/features/scheduled-operations/deps';
import { planLookups } from '../../shared/features/plans/deps';
import { createScheduledOperationBody, operationResponse } from '../../shared/features/scheduled-operations/schemas';

const deps = perRuntime(() => createScheduledOperationDeps(planLookups()));

export const handler = route(
  'scheduledOperations.create',
  { body: createScheduledOperationBody, response: operationResponse },
  async ({ body, identity }) => (await withTriggers(deps(), [await createScheduledOperation(deps(), identity, body.scheduled_operation)]))[0],
  ({ op, nextRun }) => ({ scheduled_operation: operationView(op, nextRun) }),
).use(idempotency());
