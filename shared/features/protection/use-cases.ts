import { HEARTBEAT_EVENT, SERVICE_BINARIES } from '../services/model';
import { WORK_EVENTS } from './events';
import { errorText } from './job-state';
import { deleteCheckpointData } from './jobs/delete';
import { protectCheckpoint } from './jobs/protect';
import { runRestore } from './jobs/restore';
import type { RemainingTime, RunOutcome, WorkerDeps } from './model';

/**
 * Dispatches a bus event to its job. The `karbor-protection` service row
 * reports first, on every delivery (a failed report is logged: the row is
 * informational and must never fail a job). A malformed event is logged and
 * dropped (a retry would not fix it); job failures are rethrown for the
 * platform's retry.
 */
export const handleProtectionEvent = async (
  deps: WorkerDeps,
  event: { 'detail-type': string; detail: Record<string, unknown> },
  remainingMs: RemainingTime = () => 0,
): Promise<RunOutcome | 'ignored'> => {
  try {
    await deps.services.report(SERVICE_BINARIES.protection, deps.host, deps.clock.now());
  } catch (error) {
    deps.log({ message: 'reporting the protection service failed', error: errorText(error) });
  }
  const detail = event.detail ?? {};
  const id = (key: string) => (typeof detail[key] === 'string' ? (detail[key] as string) : undefined);
  const run = (key: string, job: (deps: WorkerDeps, id: string, remainingMs: RemainingTime) => Promise<RunOutcome>) => {
    const value = id(key);
    if (value === undefined) {
      deps.log({ message: 'event without an id dropped', detailType: event['detail-type'], key });
      return Promise.resolve('ignored' as const);
    }
    return job(deps, value, remainingMs);
  };
  switch (event['detail-type']) {
    case WORK_EVENTS.checkpointRequested:
      return run('checkpoint_id', protectCheckpoint);
    case WORK_EVENTS.checkpointDeleteRequested:
      return run('checkpoint_id', deleteCheckpointData);
    case WORK_EVENTS.restoreRequested:
      return run('restore_id', runRestore);
    case HEARTBEAT_EVENT['detail-type']:
      // The minute's heartbeat: the report above is all it asks for.
      return 'ignored';
    default:
      deps.log({ message: 'unexpected event dropped', detailType: event['detail-type'] });
      return 'ignored';
  }
};
