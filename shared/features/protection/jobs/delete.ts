import { checkpointPrefix } from '../bank';
import { LIFECYCLE_EVENTS } from '../events';
import { errorText } from '../job-state';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { unpackResourceGraph } from '../resource-graph';
import { runCheckpointPhase } from './checkpoint-phase';

/**
 * Deletes a checkpoint (`Checkpoint Delete Requested`): each resource's
 * plugin deletes what it made (resources already `deleted` are skipped),
 * then the checkpoint's bank folder goes; `deleted` (unlisted) or `error-deleting`.
 */
export const deleteCheckpointData = (deps: WorkerDeps, checkpointId: string, remainingMs: RemainingTime = () => 0): Promise<RunOutcome> =>
  runCheckpointPhase(deps, checkpointId, remainingMs, {
    active: 'deleting',
    done: 'deleted',
    failed: 'error-deleting',
    events: { done: LIFECYCLE_EVENTS.checkpointDeleted, failed: LIFECYCLE_EVENTS.checkpointErrorDeleting },
    messages: { finished: 'checkpoint delete finished', progress: 'delete progress' },
    graph: async (c) => (c.resourceGraph ? unpackResourceGraph(c.resourceGraph) : []),
    before: (status) => {
      if (status === 'deleted') return 'skip';
      // A resource never started has nothing to delete. One that failed or was cut off
      // (`error`, `protecting`) may have left partial data: its plugin deletes what the bank records.
      if (status === undefined) return { record: 'deleted' };
      return 'run';
    },
    call: (plugin, ctx, resource) => plugin.delete(ctx, resource),
    marksDependents: false,
    async afterResources(c) {
      try {
        await deps.bank.deletePrefix(checkpointPrefix(c.id));
        return undefined;
      } catch (error) {
        return `bank: ${errorText(error)}`;
      }
    },
  });
