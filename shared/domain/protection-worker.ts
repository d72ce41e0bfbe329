import { Bank, bankSection, checkpointPrefix } from './bank';
import type { Checkpoint, Clock } from './checkpoints';
import { EventPublisher, LIFECYCLE_EVENTS, WORK_EVENTS } from './events';
import { Claim, errorText, JobStore, LogUpdate, MAX_ATTEMPTS } from './jobs';
import { GraphResource, PluginContext, PluginRegistry, ProtectionPlugin, resourceKey } from './plugins';
import type { Provider, ProviderCatalog } from './providers';
import { buildResourceGraph, GraphNode, packResourceGraph, unpackResourceGraph, walkGraph } from './resource-graph';
import type { Restore } from './restores';

export interface WorkerDeps {
  checkpoints: {
    get(id: string): Promise<Checkpoint | undefined>;
    setGraph(id: string, token: string, graph: string): Promise<void>;
    jobs: JobStore<Checkpoint>;
  };
  restores: { jobs: JobStore<Restore> };
  providers: ProviderCatalog;
  plugins: PluginRegistry;
  /** The resources a resource depends on (protectables' dependents), for the graph. */
  dependentsOf(projectId: string, resource: GraphResource): Promise<GraphResource[]>;
  bank: Bank;
  events: EventPublisher;
  clock: Clock;
  newToken: () => string;
  /** How long a claim holds a job: longer than the worker's own timeout. */
  leaseSeconds: number;
  log: (entry: Record<string, unknown>) => void;
}

export type RunOutcome = 'finished' | 'inactive' | 'held' | 'lost-lease';

const DEPENDENCY_FAILED = 'a resource it depends on failed';

const leaseFor = (deps: WorkerDeps) => {
  const now = deps.clock.now();
  return { token: deps.newToken(), now: now.toISOString(), until: new Date(now.getTime() + deps.leaseSeconds * 1000).toISOString() };
};

/** Why a claimed job must stop at once, or undefined to run it. */
const giveUpReason = (job: { deadline: string; attempts: number; lastError?: string }, now: string): string | undefined => {
  if (job.deadline < now) return 'the job did not finish before its deadline';
  if (job.attempts > MAX_ATTEMPTS) return `gave up after ${MAX_ATTEMPTS} attempts${job.lastError ? `: ${job.lastError}` : ''}`;
  return undefined;
};

const publishQuietly = async (deps: WorkerDeps, detailType: string, detail: Record<string, unknown>) => {
  try {
    await deps.events.publish([{ detailType, detail }]);
  } catch (error) {
    // Lifecycle events are for integrations; the job's state is already written.
    deps.log({ message: 'publishing a lifecycle event failed', detailType, error: errorText(error) });
  }
};

const pluginFor = (deps: WorkerDeps, provider: Provider | undefined, type: string): ProtectionPlugin => {
  const name = provider?.plugins[type];
  const plugin = name === undefined ? undefined : deps.plugins(name);
  if (!plugin) throw new Error(`no protection plugin for ${type} in provider ${provider?.id ?? 'unknown'}`);
  return plugin;
};

/** `<type>` parameters overridden by `<type>#<id>` ones (Karbor's plan/restore parameter rule). */
const parametersFor = (parameters: Record<string, Record<string, string> | null>, r: GraphResource): Record<string, string> => ({
  ...(parameters[r.type] ?? {}),
  ...(parameters[resourceKey(r)] ?? {}),
});

/**
 * Runs a job under a lease: claims it, stops it when it is past its deadline
 * or out of attempts, otherwise runs `work`; an unexpected failure gives the
 * lease back (the retry resumes) and is rethrown for the platform to retry.
 */
const underLease = async <T extends { deadline: string; attempts: number; lastError?: string }>(
  deps: WorkerDeps,
  claim: (lease: ReturnType<typeof leaseFor>) => Promise<Claim<T>>,
  stop: (token: string, reason: string, job: T) => Promise<void>,
  release: (token: string, error: string) => Promise<void>,
  work: (token: string, job: T) => Promise<RunOutcome>,
): Promise<RunOutcome> => {
  const lease = leaseFor(deps);
  const claimed = await claim(lease);
  if (claimed.outcome !== 'claimed') return claimed.outcome;
  const reason = giveUpReason(claimed.item, lease.now);
  if (reason !== undefined) {
    await stop(lease.token, reason, claimed.item);
    return 'finished';
  }
  try {
    return await work(lease.token, claimed.item);
  } catch (error) {
    // The platform retries twice (EventBridge's Lambda target, the local bus): the last attempt finishes the job as failed.
    if (claimed.item.attempts >= MAX_ATTEMPTS) {
      const last = `gave up after ${MAX_ATTEMPTS} attempts: ${errorText(error)}`;
      const stopped = await stop(lease.token, last, claimed.item).then(() => true, () => false);
      if (stopped) return 'finished';
    }
    await release(lease.token, errorText(error));
    throw error;
  }
};

/** The final status of the job's operation log, written with the job's. */
const logFor = (deps: WorkerDeps, job: { operationLogId?: string }, status: string, reason?: string): LogUpdate | undefined =>
  job.operationLogId === undefined
    ? undefined
    : { id: job.operationLogId, changes: { status, endedAt: deps.clock.now().toISOString(), errorInfo: reason ?? null } };

const checkpointDetail = (c: Checkpoint, status: string, reason?: string) => ({
  checkpoint_id: c.id,
  project_id: c.projectId,
  provider_id: c.providerId,
  plan_id: c.planId,
  status,
  ...(reason === undefined ? {} : { reason }),
});

const firstReason = (reasons: Record<string, string>): string | undefined => {
  const entries = Object.entries(reasons);
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${k}: ${v}`).join('; ');
};

/**
 * Protects a checkpoint (`Checkpoint Requested`).
 * 1. claim it (`protecting`, lease free);
 * 2. build the resource graph from the plan's resources and their
 *    dependents, once (a retry reuses the stored graph);
 * 3. protect each resource with its provider's plugin, children first,
 *    independent ones in parallel; resources already `available` are skipped
 *    (resume); each result is written as it happens;
 * 4. `available` when every resource is, else `error`; publish the lifecycle event.
 */
export const protectCheckpoint = (deps: WorkerDeps, checkpointId: string): Promise<RunOutcome> => {
  const jobs = deps.checkpoints.jobs;
  const finish = async (token: string, c: Checkpoint, to: 'available' | 'error', reason?: string) => {
    if (!(await jobs.finish(c.id, token, 'protecting', to, reason, logFor(deps, c, to, reason)))) return 'lost-lease' as const;
    deps.log({ message: 'checkpoint finished', checkpoint_id: c.id, status: to, reason });
    await publishQuietly(deps, to === 'available' ? LIFECYCLE_EVENTS.checkpointAvailable : LIFECYCLE_EVENTS.checkpointError, checkpointDetail(c, to, reason));
    return 'finished' as const;
  };
  return underLease<Checkpoint>(
    deps,
    (lease) => jobs.claim(checkpointId, 'protecting', lease),
    async (token, reason, c) => void (await finish(token, c, 'error', reason)),
    (token, error) => jobs.release(checkpointId, token, error),
    async (token, c) => {
      let roots: GraphNode[];
      if (c.resourceGraph) {
        roots = unpackResourceGraph(c.resourceGraph);
      } else {
        const start = c.protectionPlan.resources.map((r) => ({ type: r.type, id: r.id, name: r.name, extraInfo: r.extra_info }));
        roots = await buildResourceGraph(start, (r) => deps.dependentsOf(c.projectId, r));
        await deps.checkpoints.setGraph(c.id, token, packResourceGraph(roots));
      }
      const provider = deps.providers.all().find((p) => p.id === c.providerId);
      const reasons: Record<string, string> = {};
      await walkGraph(
        roots,
        async ({ resource }) => {
          const key = resourceKey(resource);
          if (c.resourcesStatus[key] === 'available') return 'done';
          await jobs.setResource(c.id, token, key, 'protecting');
          try {
            const ctx: PluginContext = {
              checkpointId: c.id,
              projectId: c.projectId,
              bank: bankSection(deps.bank, c.id, key),
              parameters: parametersFor(c.parameters, resource),
              restored: {},
              progress: async (status, reason) => deps.log({ message: 'protect progress', checkpoint_id: c.id, resource: key, status, reason }),
            };
            await pluginFor(deps, provider, resource.type).protect(ctx, resource);
            await jobs.setResource(c.id, token, key, 'available');
            return 'done';
          } catch (error) {
            reasons[key] = errorText(error);
            await jobs.setResource(c.id, token, key, 'error', reasons[key]);
            return 'failed';
          }
        },
        async ({ resource }) => {
          reasons[resourceKey(resource)] = DEPENDENCY_FAILED;
          await jobs.setResource(c.id, token, resourceKey(resource), 'error', DEPENDENCY_FAILED);
        },
      );
      const reason = firstReason(reasons);
      return finish(token, c, reason === undefined ? 'available' : 'error', reason);
    },
  );
};

/**
 * Deletes a checkpoint (`Checkpoint Delete Requested`): each resource's
 * plugin deletes what it made (resources already `deleted` are skipped),
 * then the checkpoint's bank folder goes; `deleted` (unlisted) or `error-deleting`.
 */
export const deleteCheckpointData = (deps: WorkerDeps, checkpointId: string): Promise<RunOutcome> => {
  const jobs = deps.checkpoints.jobs;
  const finish = async (token: string, c: Checkpoint, to: 'deleted' | 'error-deleting', reason?: string) => {
    if (!(await jobs.finish(c.id, token, 'deleting', to, reason, logFor(deps, c, to, reason)))) return 'lost-lease' as const;
    deps.log({ message: 'checkpoint delete finished', checkpoint_id: c.id, status: to, reason });
    await publishQuietly(deps, to === 'deleted' ? LIFECYCLE_EVENTS.checkpointDeleted : LIFECYCLE_EVENTS.checkpointErrorDeleting, checkpointDetail(c, to, reason));
    return 'finished' as const;
  };
  return underLease<Checkpoint>(
    deps,
    (lease) => jobs.claim(checkpointId, 'deleting', lease),
    async (token, reason, c) => void (await finish(token, c, 'error-deleting', reason)),
    (token, error) => jobs.release(checkpointId, token, error),
    async (token, c) => {
      const roots = c.resourceGraph ? unpackResourceGraph(c.resourceGraph) : [];
      const provider = deps.providers.all().find((p) => p.id === c.providerId);
      const reasons: Record<string, string> = {};
      await walkGraph(
        roots,
        async ({ resource }) => {
          const key = resourceKey(resource);
          if (c.resourcesStatus[key] === 'deleted') return 'done';
          // A resource that was never protected has nothing to delete.
          if (c.resourcesStatus[key] !== undefined && c.resourcesStatus[key] !== 'available' && c.resourcesStatus[key] !== 'deleting') {
            await jobs.setResource(c.id, token, key, 'deleted');
            return 'done';
          }
          await jobs.setResource(c.id, token, key, 'deleting');
          try {
            const ctx: PluginContext = {
              checkpointId: c.id,
              projectId: c.projectId,
              bank: bankSection(deps.bank, c.id, key),
              parameters: parametersFor(c.parameters, resource),
              restored: {},
              progress: async (status, reason) => deps.log({ message: 'delete progress', checkpoint_id: c.id, resource: key, status, reason }),
            };
            await pluginFor(deps, provider, resource.type).delete(ctx, resource);
            await jobs.setResource(c.id, token, key, 'deleted');
            return 'done';
          } catch (error) {
            reasons[key] = errorText(error);
            await jobs.setResource(c.id, token, key, 'error', reasons[key]);
            return 'failed';
          }
        },
        async () => undefined,
      );
      let reason = firstReason(reasons);
      if (reason === undefined) {
        try {
          await deps.bank.deletePrefix(checkpointPrefix(c.id));
        } catch (error) {
          reason = `bank: ${errorText(error)}`;
        }
      }
      return finish(token, c, reason === undefined ? 'deleted' : 'error-deleting', reason);
    },
  );
};

/**
 * Runs a restore (`Restore Requested`): the checkpoint's graph is restored
 * children first, each resource by its plugin, which reports `restoring` ->
 * `available` as `resources_status` (the No-Op plugin reports nothing, as
 * Karbor's); a plugin error is that resource's `error` and reason.
 * `success` when every resource restored, else `fail`.
 */
export const runRestore = (deps: WorkerDeps, restoreId: string): Promise<RunOutcome> => {
  const jobs = deps.restores.jobs;
  const finish = async (token: string, r: Restore, to: 'success' | 'fail', reason?: string, statuses?: Record<string, string>) => {
    if (!(await jobs.finish(r.id, token, 'in_progress', to, reason, logFor(deps, r, to, reason)))) return 'lost-lease' as const;
    deps.log({ message: 'restore finished', restore_id: r.id, status: to, reason });
    await publishQuietly(deps, to === 'success' ? LIFECYCLE_EVENTS.restoreSucceeded : LIFECYCLE_EVENTS.restoreFailed, {
      restore_id: r.id,
      project_id: r.projectId,
      provider_id: r.providerId,
      checkpoint_id: r.checkpointId,
      status: to,
      resources_status: statuses ?? r.resourcesStatus,
      ...(reason === undefined ? {} : { reason }),
    });
    return 'finished' as const;
  };
  return underLease<Restore>(
    deps,
    (lease) => jobs.claim(restoreId, 'in_progress', lease),
    async (token, reason, r) => void (await finish(token, r, 'fail', reason)),
    (token, error) => jobs.release(restoreId, token, error),
    async (token, r) => {
      const checkpoint = await deps.checkpoints.get(r.checkpointId);
      if (!checkpoint || !checkpoint.resourceGraph) return finish(token, r, 'fail', `Checkpoint ${r.checkpointId} has no resource graph.`);
      const provider = deps.providers.all().find((p) => p.id === r.providerId);
      const roots = unpackResourceGraph(checkpoint.resourceGraph);
      const reasons: Record<string, string> = {};
      const statuses: Record<string, string> = { ...r.resourcesStatus };
      const restored: Record<string, string> = {};
      await walkGraph(
        roots,
        async ({ resource }) => {
          const key = resourceKey(resource);
          if (r.resourcesStatus[key] === 'available') return 'done';
          try {
            const ctx: PluginContext = {
              checkpointId: checkpoint.id,
              projectId: r.projectId,
              bank: bankSection(deps.bank, checkpoint.id, key),
              parameters: parametersFor(r.parameters, resource),
              restored,
              restoreId: r.id,
              progress: async (status, reason) => {
                statuses[key] = status;
                await jobs.setResource(r.id, token, key, status, reason);
              },
            };
            const result = await pluginFor(deps, provider, resource.type).restore(ctx, resource);
            if (result.id !== undefined) restored[key] = result.id;
            return 'done';
          } catch (error) {
            reasons[key] = errorText(error);
            statuses[key] = 'error';
            await jobs.setResource(r.id, token, key, 'error', reasons[key]);
            return 'failed';
          }
        },
        async ({ resource }) => {
          const key = resourceKey(resource);
          reasons[key] = DEPENDENCY_FAILED;
          statuses[key] = 'error';
          await jobs.setResource(r.id, token, key, 'error', DEPENDENCY_FAILED);
        },
      );
      const reason = firstReason(reasons);
      return finish(token, r, reason === undefined ? 'success' : 'fail', reason, statuses);
    },
  );
};

/**
 * Dispatches a bus event to its job. A malformed event is logged and dropped
 * (a retry would not fix it); job failures are rethrown for the platform's retry.
 */
export const handleProtectionEvent = async (
  deps: WorkerDeps,
  event: { 'detail-type': string; detail: Record<string, unknown> },
): Promise<RunOutcome | 'ignored'> => {
  const detail = event.detail ?? {};
  const id = (key: string) => (typeof detail[key] === 'string' ? (detail[key] as string) : undefined);
  const run = (key: string, job: (id: string) => Promise<RunOutcome>) => {
    const value = id(key);
    if (value === undefined) {
      deps.log({ message: 'event without an id dropped', detailType: event['detail-type'], key });
      return Promise.resolve('ignored' as const);
    }
    return job(value);
  };
  switch (event['detail-type']) {
    case WORK_EVENTS.checkpointRequested:
      return run('checkpoint_id', (v) => protectCheckpoint(deps, v));
    case WORK_EVENTS.checkpointDeleteRequested:
      return run('checkpoint_id', (v) => deleteCheckpointData(deps, v));
    case WORK_EVENTS.restoreRequested:
      return run('restore_id', (v) => runRestore(deps, v));
    default:
      deps.log({ message: 'unexpected event dropped', detailType: event['detail-type'] });
      return 'ignored';
  }
};
