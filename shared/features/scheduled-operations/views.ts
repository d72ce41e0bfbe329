import type { ScheduledOperation } from './model';

/** The view of show/create and of list items (bare). */
export const operationView = (op: ScheduledOperation) => ({
  id: op.id,
  name: op.name,
  description: op.description,
  operation_type: op.operationType,
  trigger_id: op.triggerId,
  operation_definition: op.operationDefinition,
  enabled: op.enabled,
});
