import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { documentClient, tableName } from '../../shared/dynamo/client';
import { fireTrigger } from '../../shared/features/operation-engine/fire-trigger';
import type { FireTriggerPayload, TriggerScheduler } from '../../shared/features/triggers/schedules';
import { protectionService } from '../../shared/features/operation-engine/deps';
import { triggerLimits, triggerScheduler } from '../../shared/features/triggers/deps';
import { operationLogStore } from '../../shared/features/operation-logs/store';
import { dynamoRunStore } from '../../shared/features/operation-engine/store';
import { dynamoScheduledOperationStore } from '../../shared/features/scheduled-operations/store';
import { dynamoServiceStore, serviceHost } from '../../shared/features/services/store';
import { dynamoTriggerStore } from '../../shared/features/triggers/store';

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
