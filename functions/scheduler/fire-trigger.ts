import { perRuntime } from '../../shared/runtime-host';
import type { Context } from 'aws-lambda';
import { fireTriggerDeps } from '../../shared/features/operation-engine/deps';
import { fireTrigger } from '../../shared/features/operation-engine/use-cases';
import type { FireTriggerPayload } from '../../shared/features/triggers/model';
import type { HeartbeatEvent } from '../../shared/features/services/model';
import { jsonLog } from '../../shared/observability/log';

/**
 * The fire-trigger worker (shared/workers.ts `scheduler.fireTrigger`): invoked
 * by a trigger's EventBridge rule / Scheduler schedule (locally by
 * infra/local/scheduler.ts) with `{"trigger_id", "project_id", "time"}`.
 * It removes the rule of a trigger that can fire no more. The heartbeat rule
 * invokes it every minute with HEARTBEAT_EVENT (the engine's service row).
 */
const deps = perRuntime(() => fireTriggerDeps());

export const handler = async (payload: FireTriggerPayload | HeartbeatEvent, context: Pick<Context, 'invokedFunctionArn'>) => {
  const result = await fireTrigger(deps()(context.invokedFunctionArn), payload);
  jsonLog({ message: 'fire-trigger', ...payload, ...result });
  return result;
};
