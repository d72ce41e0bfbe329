import type { Checkpoint } from '../../checkpoints/model';
import type { HeldLease } from '../lease';
import { finisher, underLease } from '../lease';
import { errorText } from '../../jobs/model';
import { DEPENDENCY_FAILED, firstReason, jobRun, locationOf, parametersFor, pluginContext, pluginFor, providerOf } from '../job-run';
import type { JobEngine, JobSteps } from '../job-steps';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { type GraphResource, type PluginContext, type ProtectionPlugin, resourceKey } from '../plugins';
import { flattenGraph, type GraphNode } from '../resource-graph';

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
  active: 'protecting' | 'deleting' | 'copying';
  /** The checkpoint's and each resource's status once done. */
  done: 'available' | 'deleted';
  failed: 'error' | 'error-deleting';
  events: { done: string; failed: string };
  messages: { finished: string; progress: string };
  graph(c: Checkpoint, lease: HeldLease, steps: JobSteps): Promise<GraphNode[]>;
  /** Before a resource's plugin call: `skip` it (done by an earlier attempt) or `run` it. */
  before(status: string | undefined): 'skip' | 'run';
  call(plugin: ProtectionPlugin, ctx: PluginContext, resource: GraphResource): Promise<void>;
  /** Whether a resource whose dependency failed is marked `error` with that reason. */
  marksDependents: boolean;
  /** Before any resource: a failure reason that ends the phase at once (a copy's source gone). */
  precheck?(c: Checkpoint): Promise<string | undefined>;
  /** What a plugin gets beyond the checkpoint's own context (a copy: its source). */
  context?(c: Checkpoint, key: string): Partial<PluginContext>;
  /** Once every resource is done: a last step, returning a failure reason. */
  afterResources?(c: Checkpoint, lease: HeldLease, roots: GraphNode[]): Promise<string | undefined>;
  /** After a failed run: removes what a resource's plugin created (a checkpoint that failed keeps nothing it made). */
  undo?(plugin: ProtectionPlugin, ctx: PluginContext, resource: GraphResource): Promise<void>;
}

/**
 * Runs one phase of a checkpoint under a lease: every resource of its graph,
 * children first, each in its own child of the job's steps, then the undo of
 * a failed run and the final write, each a step.
 */
export const runCheckpointPhase = (
  deps: WorkerDeps,
  checkpointId: string,
  remainingMs: RemainingTime,
  engine: JobEngine,
  phase: CheckpointPhase,
): Promise<RunOutcome> => {
  const jobs = deps.checkpoints.jobs;
  const finish = finisher(deps, jobs, phase.active, {
    message: phase.messages.finished,
    idField: 'checkpoint_id',
    event: (to) => (to === phase.done ? phase.events.done : phase.events.failed),
    detail: checkpointDetail,
  });
  return underLease<Checkpoint>(
    deps,
    { jobs, active: phase.active, failed: phase.failed, finish },
    checkpointId,
    remainingMs,
    engine,
    async (lease, c, steps) => {
      const refused = phase.precheck ? await steps.step('precheck', async () => (await phase.precheck!(c)) ?? null) : null;
      if (refused !== null) return finish(lease.token, c, phase.failed, refused);
      const roots = await phase.graph(c, lease, steps);
      const provider = providerOf(deps, c.providerId);
      const run = jobRun(jobs, c, lease);
      const contextFor = (resource: GraphResource, key: string, inner: JobSteps, progress: PluginContext['progress']): PluginContext => ({
        ...pluginContext(
          deps,
          lease,
          { checkpointId: c.id, projectId: c.projectId, key, type: resource.type, parameters: parametersFor(c.parameters, resource), location: locationOf(c) },
          inner,
          progress,
        ),
        ...phase.context?.(c, key),
      });
      await run.walk(
        steps,
        roots,
        async (resource, key, inner) => {
          if (phase.before(c.resourcesStatus[key]) === 'skip') return { outcome: 'done' };
          const ctx = contextFor(resource, key, inner, async (status, reason) =>
            deps.log({ message: phase.messages.progress, checkpoint_id: c.id, resource: key, status, reason }),
          );
          return run.step(key, { running: phase.active, done: phase.done }, async () => {
            await phase.call(pluginFor(deps, provider, resource.type), ctx, resource);
            return undefined;
          });
        },
        async (key) => (phase.marksDependents ? run.fail(key, DEPENDENCY_FAILED) : { outcome: 'failed' }),
      );
      let reason = firstReason(run.reasons);
      if (reason !== undefined && phase.undo) {
        // Every resource whose plugin ran (in this attempt or an earlier one) may have created something.
        const left: string[] = [];
        for (const { resource } of flattenGraph(roots)) {
          const key = resourceKey(resource);
          if (run.statuses[key] === undefined || run.reasons[key] === DEPENDENCY_FAILED) continue;
          const undone = await steps.child(`undo:${key}`, async (inner) => {
            const ctx = contextFor(resource, key, inner, async () => undefined);
            try {
              await phase.undo!(pluginFor(deps, provider, resource.type), ctx, resource);
              if (run.statuses[key] === phase.done) await run.record(key, 'deleted');
              return undefined;
            } catch (error) {
              return `${key}: ${errorText(error)}`;
            }
          });
          if (undone !== undefined && undone !== null) left.push(undone);
          await lease.renew();
        }
        if (left.length > 0) reason += `; left behind: ${left.join('; ')}`;
      }
      if (reason === undefined && phase.afterResources) {
        const after = await steps.step('after-resources', async () => (await phase.afterResources!(c, lease, roots)) ?? null);
        reason = after ?? undefined;
      }
      return finish(lease.token, c, reason === undefined ? phase.done : phase.failed, reason);
    },
  );
};
