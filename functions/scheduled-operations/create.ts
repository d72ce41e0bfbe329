import { route } from '../../shared/http/route';
import { createScheduledOperation, operationView } from '../../shared/features/scheduled-operations/use-cases';
import { documentClient, tableName } from '../../shared/dynamo/client';
import { scheduledOperationStore } from '../../shared/features/scheduled-operations/deps';
import { newId, triggerStore } from '../../shared/features/triggers/store-deps';
import { planStore } from '../../shared/features/plans/store';
import { createScheduledOperationBody } from '../../shared/features/scheduled-operations/schemas';

const deps = {
  operations: scheduledOperationStore(),
  triggers: triggerStore(),
  plans: planStore(documentClient(), tableName()),
  now: () => new Date(),
  newId,
};

export const handler = route(
  'scheduledOperations.create',
  { body: createScheduledOperationBody },
  async ({ body, identity }) => createScheduledOperation(deps, identity, body.scheduled_operation),
  (op) => ({ scheduled_operation: operationView(op) }),
);
