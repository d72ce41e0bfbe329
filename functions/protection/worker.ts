import { perRuntime } from '../../shared/runtime-host';
import { type DurableContext, withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { handleProtectionEvent } from '../../shared/features/protection/use-cases';
import { durableEngine, workerDeps } from '../../shared/features/protection/deps';
import { workerById } from '../../shared/workers';

const def = workerById('protection.worker');
const deps = perRuntime(() => workerDeps(def.timeout ?? 60));

type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

/**
 * The protection worker: protect, delete and restore jobs from the karbor
 * bus. On AWS a durable function (README "The job engine"): each job runs
 * as checkpointed steps and waits, replayed by Lambda after each wait.
 */
export const handler = withDurableExecution(async (event: BusEvent, context: DurableContext) =>
  handleProtectionEvent(deps(), event, () => context.lambdaContext.getRemainingTimeInMillis(), durableEngine(context)),
);

/** The same jobs under `npm start` (infra/local/event-bus.ts): the local engine, whose steps are kept on the job's item. */
export const localHandler = async (event: BusEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) =>
  handleProtectionEvent(deps(), event, () => context.getRemainingTimeInMillis());
