import type { Context, EventBridgeEvent } from 'aws-lambda';
import { handleProtectionEvent } from '../../shared/features/protection/use-cases';
import { workerDeps } from '../../shared/features/protection/deps';
import { workerById } from '../../shared/workers';

const def = workerById('protection.worker');
const deps = workerDeps(def.timeout ?? 60);

/** The protection worker: protect, delete and restore jobs from the karbor bus. */
export const handler = async (event: EventBridgeEvent<string, Record<string, unknown>>, context: Pick<Context, 'getRemainingTimeInMillis'>) =>
  handleProtectionEvent(deps, event, () => context.getRemainingTimeInMillis());
