import type { Restore } from '../../restores/model';
import { LIFECYCLE_EVENTS } from '../../../events/names';
import { DEPENDENCY_FAILED, firstReason, jobRun, locationOf, parametersFor, pluginContext, pluginFor, providerOf } from '../job-run';
import { type JobEngine, localEngine } from '../job-steps';
import { finisher, underLease } from '../lease';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { unpackResourceGraph } from '../resource-graph';

/**
 * Runs a restore (`Restore Requested`): the checkpoint's graph is restored
 * children first, each resource by its plugin, which reports `restoring` ->
 * `available` as `resources_status` (the No-Op plugin reports nothing, as
 * Karbor's); a plugin error is that resource's `error` and reason.
 * `success` when every resource restored, else `fail`.
 */
export const runRestore = (
  deps: WorkerDeps,
  restoreId: string,
  remainingMs: RemainingTime = () => 0,
  engine: JobEngine = localEngine(deps.timers.sleep),
): Promise<RunOutcome> => {
  const jobs = deps.restores.jobs;
  const finish = finisher(deps, jobs, 'in_progress', {
    message: 'restore finished',
    idField: 'restore_id',
    event: (to) => (to === 'success' ? LIFECYCLE_EVENTS.restoreSucceeded : LIFECYCLE_EVENTS.restoreFailed),
    detail: (r: Restore, to, statuses, made) => ({
      restore_id: r.id,
      project_id: r.projectId,
      provider_id: r.providerId,
      checkpoint_id: r.checkpointId,
      status: to,
      resources_status: statuses ?? r.resourcesStatus,
      restored_as: made ?? {},
    }),
  });
  return underLease<Restore>(deps, { jobs, active: 'in_progress', failed: 'fail', finish }, restoreId, remainingMs, engine, async (lease, r, steps) => {
    const checkpoint = await deps.checkpoints.get(r.checkpointId);
    if (!checkpoint?.resourceGraph) return finish(lease.token, r, 'fail', `Checkpoint ${r.checkpointId} has no resource graph.`);
    const provider = providerOf(deps, r.providerId);
    const roots = unpackResourceGraph(checkpoint.resourceGraph);
    const run = jobRun(jobs, r, lease);
    // What each resource was restored as, for its dependents: filled as each resource's child returns (recorded or run).
    const restored: Record<string, string> = {};
    await run.walk(
      steps,
      roots,
      async (resource, key, inner) => {
        if (r.resourcesStatus[key] === 'available') return { outcome: 'done' };
        const ctx = pluginContext(
          deps,
          lease,
          {
            checkpointId: checkpoint.id,
            projectId: r.projectId,
            key,
            type: resource.type,
            parameters: parametersFor(r.parameters, resource),
            // A copy restores in its destination (docs/decisions.md §25).
            location: locationOf(checkpoint),
          },
          inner,
          (status, reason) => run.record(key, status, reason),
          { restoreId: r.id, restored },
        );
        const result = await run.step(key, {}, async () => (await pluginFor(deps, provider, resource.type).restore(ctx, resource)).id);
        if (result.id !== undefined) restored[key] = result.id;
        return { ...result, ...(run.statuses[key] === undefined ? {} : { status: run.statuses[key] }) };
      },
      (key) => run.fail(key, DEPENDENCY_FAILED),
    );
    const reason = firstReason(run.reasons);
    // What each resource was restored as goes with the final status (the restore's `restored_as`).
    return finish(lease.token, r, reason === undefined ? 'success' : 'fail', reason, run.statuses, { ...r.resourcesMade, ...restored });
  });
};
