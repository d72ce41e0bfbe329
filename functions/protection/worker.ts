import { perRuntime } from '../../shared/runtime-host';
import { type DurableContext, withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { handleProtectionEvent } from '../../shared/features/protection/use-cases';
import { durableEngine, invocationPlugins, workerDeps } from '../../shared/features/protection/deps';
import { workerById } from '../../shared/workers';

const def = workerById('protection.worker');
// The worker's ports, and its plugins, whose tenant credentials are fetched per invocation (deps.ts invocationPlugins).
const deps = perRuntime(() => ({ worker: workerDeps(def.timeout ?? 60), plugins: invocationPlugins() }));
/** This invocation's ports: the runtime's, with plugins holding credentials for this invocation only. */
const invocationDeps = () => {
  const { worker, plugins } = deps();
  return { ...worker, plugins: plugins() };
};

type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

/**
 * The protection worker: protect, delete and restore jobs from the karbor
 * bus. On AWS a durable function (README "The job engine"): each job runs
 * as checkpointed steps and waits, replayed by Lambda after each wait.
 * Each invocation gets its own tenant credentials (deps.ts invocationPlugins),
 * never kept in a step's result.
 */
export const handler = withDurableExecution(async (event: BusEvent, context: DurableContext) =>
  handleProtectionEvent(invocationDeps(), event, () => context.lambdaContext.getRemainingTimeInMillis(), durableEngine(context)),
);

/** The same jobs under `npm start` (infra/local/event-bus.ts): the local engine, whose steps are kept on the job's item. */
export const localHandler = async (event: BusEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) =>
  handleProtectionEvent(invocationDeps(), event, () => context.getRemainingTimeInMillis());
