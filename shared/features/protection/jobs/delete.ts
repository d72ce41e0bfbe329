import { checkpointPrefix } from '../bank';
import { LIFECYCLE_EVENTS } from '../../../events/names';
import { errorText } from '../../jobs/model';
import { type JobEngine, localEngine } from '../job-steps';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { unpackResourceGraph } from '../resource-graph';
import { runCheckpointPhase } from './checkpoint-phase';
import { bankOf, locationOf } from '../job-run';

/**
 * Deletes a checkpoint (`Checkpoint Delete Requested`): each resource's
 * plugin deletes what it made (resources already `deleted` are skipped),
 * then the checkpoint's bank folder goes; `deleted` (unlisted) or
 * `error-deleting`, whose reason names what could not be removed.
 */
export const deleteCheckpointData = (
  deps: WorkerDeps,
  checkpointId: string,
  remainingMs: RemainingTime = () => 0,
  engine: JobEngine = localEngine(deps.timers.sleep),
): Promise<RunOutcome> =>
  runCheckpointPhase(deps, checkpointId, remainingMs, engine, {
    active: 'deleting',
    done: 'deleted',
    failed: 'error-deleting',
    events: { done: LIFECYCLE_EVENTS.checkpointDeleted, failed: LIFECYCLE_EVENTS.checkpointErrorDeleting },
    messages: { finished: 'checkpoint delete finished', progress: 'delete progress' },
    graph: async (c) => (c.resourceGraph ? unpackResourceGraph(c.resourceGraph) : []),
    // Whatever the resource's status (never started, failed, cut off by a crash), its plugin finds
    // what it may have left by its tags and deletes it.
    before: (status) => (status === 'deleted' ? 'skip' : 'run'),
    call: (plugin, ctx, resource) => plugin.delete(ctx, resource),
    marksDependents: false,
    // Deleting, it is no longer good: if it was its plan's newest good checkpoint, the plan's last-good time moves back (docs/decisions.md §20).
    async precheck(c) {
      await deps.checkpoints.retractGood(c);
      return undefined;
    },
    async afterResources(c) {
      try {
        await bankOf(deps, locationOf(c)).deletePrefix(checkpointPrefix(c.id));
        return undefined;
      } catch (error) {
        return `bank: ${errorText(error)}`;
      }
    },
  });
