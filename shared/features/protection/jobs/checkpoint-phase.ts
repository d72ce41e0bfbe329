import type { Checkpoint } from '../../checkpoints/model';
import type { HeldLease } from '../lease';
import { finisher, underLease } from '../lease';
import { errorText } from '../job-state';
import { DEPENDENCY_FAILED, firstReason, jobRun, parametersFor, pluginContext, pluginFor, providerOf } from '../job-run';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { type GraphResource, type PluginContext, type ProtectionPlugin, resourceKey } from '../plugins';
import { flattenGraph, type GraphNode, walkGraph } from '../resource-graph';

/** Protecting a checkpoint and deleting its data: the same walk over its resource graph, with different steps. */

const checkpointDetail = (c: Checkpoint, status: string) => ({
  checkpoint_id: c.id,
  project_id: c.projectId,
  provider_id: c.providerId,
  plan_id: c.planId,
  status,
});

/** What differs between protecting a checkpoint and deleting its data. */
interface CheckpointPhase {
  /** The checkpoint's status while it runs, which is also each resource's while its plugin runs. */
  active: 'protecting' | 'deleting';
  /** The checkpoint's and each resource's status once done. */
  done: 'available' | 'deleted';
  failed: 'error' | 'error-deleting';
  events: { done: string; failed: string };
  messages: { finished: string; progress: string };
  graph(c: Checkpoint, lease: HeldLease): Promise<GraphNode[]>;
  /** Before a resource's plugin call: `skip` it (done by an earlier attempt) or `run` it. */
  before(status: string | undefined): 'skip' | 'run';
  call(plugin: ProtectionPlugin, ctx: PluginContext, resource: GraphResource): Promise<void>;
  /** Whether a resource whose dependency failed is marked `error` with that reason. */
  marksDependents: boolean;
  /** Once every resource is done: a last step, returning a failure reason. */
  afterResources?(c: Checkpoint): Promise<string | undefined>;
  /** After a failed run: removes what a resource's plugin created (a checkpoint that failed keeps nothing it made). */
  undo?(plugin: ProtectionPlugin, ctx: PluginContext, resource: GraphResource): Promise<void>;
}

/** Runs one phase of a checkpoint under a lease: every resource of its graph, children first, then the final write. */
export const runCheckpointPhase = (deps: WorkerDeps, checkpointId: string, remainingMs: RemainingTime, phase: CheckpointPhase): Promise<RunOutcome> => {
  const jobs = deps.checkpoints.jobs;
  const finish = finisher(deps, jobs, phase.active, {
    message: phase.messages.finished,
    idField: 'checkpoint_id',
    event: (to) => (to === phase.done ? phase.events.done : phase.events.failed),
    detail: checkpointDetail,
  });
  return underLease<Checkpoint>(deps, { jobs, active: phase.active, failed: phase.failed, finish }, checkpointId, remainingMs, async (lease, c) => {
    const roots = await phase.graph(c, lease);
    const provider = providerOf(deps, c.providerId);
    const run = jobRun(jobs, c, lease);
    await walkGraph(
      roots,
      async ({ resource }) => {
        const key = resourceKey(resource);
        if (phase.before(c.resourcesStatus[key]) === 'skip') return 'done';
        const ctx = pluginContext(
          deps,
          lease,
          { checkpointId: c.id, projectId: c.projectId, key, parameters: parametersFor(c.parameters, resource) },
          async (status, reason) => deps.log({ message: phase.messages.progress, checkpoint_id: c.id, resource: key, status, reason }),
        );
        return run.step(key, { running: phase.active, done: phase.done }, () => phase.call(pluginFor(deps, provider, resource.type), ctx, resource));
      },
      async ({ resource }) => {
        if (phase.marksDependents) await run.fail(resourceKey(resource), DEPENDENCY_FAILED);
      },
    );
    let reason = firstReason(run.reasons);
    if (reason !== undefined && phase.undo) {
      // Every resource whose plugin ran (in this attempt or an earlier one) may have created something.
      const left: string[] = [];
      for (const { resource } of flattenGraph(roots)) {
        const key = resourceKey(resource);
        if (run.statuses[key] === undefined || run.reasons[key] === DEPENDENCY_FAILED) continue;
        const ctx = pluginContext(
          deps,
          lease,
          { checkpointId: c.id, projectId: c.projectId, key, parameters: parametersFor(c.parameters, resource) },
          async () => undefined,
        );
        try {
          await phase.undo(pluginFor(deps, provider, resource.type), ctx, resource);
          if (run.statuses[key] === phase.done) await run.record(key, 'deleted');
        } catch (error) {
          left.push(`${key}: ${errorText(error)}`);
        }
        await lease.renew();
      }
      if (left.length > 0) reason += `; left behind: ${left.join('; ')}`;
    }
    if (reason === undefined && phase.afterResources) reason = await phase.afterResources(c);
    return finish(lease.token, c, reason === undefined ? phase.done : phase.failed, reason);
  });
};
