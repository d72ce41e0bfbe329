import { route } from '../../shared/http/route';
import { createScheduledOperation, operationView } from '../../shared/domain/scheduled-operations';
import { documentClient, tableName } from '../../shared/aws/dynamo';
import { scheduledOperationStore } from '../../shared/runtime/scheduled-operations';
import { newId, triggerStore } from '../../shared/runtime/triggers';
import { planStore } from '../../shared/store/plans';
import { createScheduledOperationBody } from '../../shared/schemas/scheduled-operations';

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
