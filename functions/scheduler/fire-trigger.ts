import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { perRuntime } from '../../shared/runtime-host';
import { fireTriggerDeps } from '../../shared/features/operation-engine/deps';
import { fireTrigger } from '../../shared/features/operation-engine/use-cases';
import type { FireTriggerPayload } from '../../shared/features/triggers/model';
import type { HeartbeatEvent } from '../../shared/features/services/model';
import { jsonLog } from '../../shared/observability/log';

/**
 * The fire-trigger worker (shared/workers.ts `scheduler.fireTrigger`): invoked
 * with `{"trigger_id", "project_id", "time"}` by a trigger's rule (rules mode),
 * a schedule put before the firings queue existed, or infra/local/scheduler.ts;
 * in Scheduler mode the schedules send that payload to the firings queue,
 * whose event source mapping hands it over as a one-record SQS batch (a
 * record that throws is reported failed, and SQS delivers it again). It
 * removes the rule of a trigger that can fire no more. The heartbeat rule
 * invokes it every minute with HEARTBEAT_EVENT (the engine's service row).
 */
const deps = perRuntime(() => fireTriggerDeps());
const batch = new BatchProcessor(EventType.SQS);

type Invocation = Pick<Context, 'invokedFunctionArn'>;

const fire = async (payload: FireTriggerPayload | HeartbeatEvent, context: Invocation) => {
  const result = await fireTrigger(deps()(context.invokedFunctionArn), payload);
  jsonLog({ message: 'fire-trigger', ...payload, ...result });
  return result;
};

const isQueueBatch = (event: unknown): event is SQSEvent => Array.isArray((event as Partial<SQSEvent>).Records);

export const handler = async (event: FireTriggerPayload | HeartbeatEvent | SQSEvent, context: Invocation) =>
  isQueueBatch(event)
    ? (processPartialResponse(event, (record: SQSRecord) => fire(JSON.parse(record.body), context), batch, {
        context: context as Context,
      }) as Promise<SQSBatchResponse>)
    : fire(event, context);
