import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { documentClient, tableName } from '../../shared/aws/dynamo';
import { fireTrigger } from '../../shared/domain/fire-trigger';
import type { FireTriggerPayload, TriggerScheduler } from '../../shared/domain/trigger-schedules';
import { protectionService } from '../../shared/runtime/protection-service';
import { triggerLimits, triggerScheduler } from '../../shared/runtime/trigger-scheduler';
import { operationLogStore } from '../../shared/store/operation-logs';
import { dynamoRunStore } from '../../shared/store/runs';
import { dynamoScheduledOperationStore } from '../../shared/store/scheduled-operations';
import { dynamoServiceStore, serviceHost } from '../../shared/store/services';
import { dynamoTriggerStore } from '../../shared/store/triggers';

/**
 * The fire-trigger worker (shared/workers.ts `scheduler.fireTrigger`): invoked
 * by a trigger's EventBridge rule / Scheduler schedule (locally by
 * infra/local/scheduler.ts) with `{"trigger_id", "project_id", "time"}`.
 * It removes the rule of a trigger that can fire no more.
 */
const doc = documentClient();
const table = tableName();
const deps = {
  triggers: dynamoTriggerStore(doc, table),
  operations: dynamoScheduledOperationStore(doc, table),
  runs: dynamoRunStore(doc, table),
  logs: operationLogStore(doc, table),
  services: dynamoServiceStore(doc, table),
  protection: protectionService(),
  limits: triggerLimits(),
  host: serviceHost(),
  now: () => new Date(),
  newId: () => randomUUID(),
};

let scheduler: TriggerScheduler | undefined;

export const handler = async (payload: FireTriggerPayload, context: Pick<Context, 'invokedFunctionArn'>) => {
  // The rules this function retires or puts back target the function itself.
  scheduler ??= triggerScheduler(process.env, context.invokedFunctionArn);
  const result = await fireTrigger({ ...deps, scheduler }, payload);
  console.log(JSON.stringify({ message: 'fire-trigger', ...payload, ...result }));
  return result;
};
