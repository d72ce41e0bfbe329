import type { Bank } from '../../kernel/ports';
import type { Provider } from '../providers/model';
import { bankSection } from './bank';
import { errorText, type JobState, type JobStore, LeaseLostError } from '../jobs/model';
import { semaphore } from '../../kernel/concurrency';
import { type JobSteps, limitedSteps } from './job-steps';
import type { HeldLease } from './lease';
import { DEFAULT_PLUGIN_CONCURRENCY, type WorkerDeps } from './model';
import { type GraphResource, type PluginContext, type ProtectionPlugin, resourceKey } from './plugins';
import { type GraphNode, type NodeOutcome, walkGraphInOrder } from './resource-graph';

/** What every job does per resource: find its plugin and parameters, run it, record its status and reason. */

export const DEPENDENCY_FAILED = 'a resource it depends on failed';

export const providerOf = (deps: WorkerDeps, id: string): Provider | undefined => deps.providers.all().find((p) => p.id === id);

export const pluginFor = (deps: WorkerDeps, provider: Provider | undefined, type: string): ProtectionPlugin => {
  const name = provider?.plugins[type];
  const plugin = name === undefined ? undefined : deps.plugins(name);
  if (!plugin) throw new Error(`no protection plugin for ${type} in provider ${provider?.id ?? 'unknown'}`);
  return plugin;
};

/** `<type>` parameters overridden by `<type>#<id>` ones (Karbor's plan/restore parameter rule). */
export const parametersFor = (parameters: Record<string, Record<string, string> | null>, r: GraphResource): Record<string, string> => ({
  ...(parameters[r.type] ?? {}),
  ...(parameters[resourceKey(r)] ?? {}),
});

export const firstReason = (reasons: Record<string, string>): string | undefined => {
  const entries = Object.entries(reasons);
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${k}: ${v}`).join('; ');
};

/** What one resource's run ends as: recorded as its child step's result, so a replay gets it without running it again. */
export interface ResourceResult {
  outcome: NodeOutcome;
  /** The status written for it last. */
  status?: string;
  reason?: string;
  /** Restore: the id of what it was restored as. */
  id?: string;
}

/**
 * The per-resource bookkeeping of one run: statuses and reasons as written,
 * and `step`, which runs one resource's plugin call between its `running` and
 * `done` marks (a failure is that resource's `error` and reason), renewing
 * the lease as the resource finishes: a retry resumes after it.
 */
export const jobRun = <T extends JobState & { id: string }>(jobs: JobStore<T>, job: T, lease: HeldLease) => {
  const reasons: Record<string, string> = {};
  const statuses: Record<string, string> = { ...job.resourcesStatus };
  const record = async (key: string, status: string, reason?: string) => {
    statuses[key] = status;
    await jobs.setResource(job.id, lease.token, key, status, reason);
  };
  const fail = async (key: string, reason: string): Promise<ResourceResult> => {
    reasons[key] = reason;
    await record(key, 'error', reason);
    return { outcome: 'failed', status: 'error', reason };
  };
  const step = async (key: string, marks: { running?: string; done?: string }, call: () => Promise<string | undefined>): Promise<ResourceResult> => {
    lease.check();
    if (marks.running !== undefined) await record(key, marks.running);
    // The renewal right after the plugin call also tells whether this worker may still write the result.
    const renewed = async () => {
      await lease.renew();
      lease.check();
    };
    try {
      const id = await call();
      await renewed();
      if (marks.done !== undefined) await record(key, marks.done);
      return { outcome: 'done', ...(marks.done === undefined ? {} : { status: marks.done }), ...(id === undefined ? {} : { id }) };
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      await renewed();
      return fail(key, errorText(error));
    }
  };
  /**
   * Walks the graph, each resource in its own child of `steps` (started in
   * the graph's fixed order), `run` once its dependencies are done,
   * `dependencyFailed` otherwise. Resources a replay does not run again
   * (their child finished) still count: statuses and reasons come from
   * their recorded results.
   */
  const walk = async (
    steps: JobSteps,
    roots: GraphNode[],
    run: (resource: GraphResource, key: string, steps: JobSteps) => Promise<ResourceResult>,
    dependencyFailed: (key: string) => Promise<ResourceResult>,
  ): Promise<Map<string, ResourceResult>> => {
    const results = await walkGraphInOrder(roots, ({ resource }, ready) => {
      const key = resourceKey(resource);
      return steps.child(key, async (inner) => ((await ready) ? run(resource, key, inner) : dependencyFailed(key)));
    });
    for (const [key, r] of results) {
      if (r.status !== undefined) statuses[key] = r.status;
      if (r.reason !== undefined) reasons[key] = r.reason;
    }
    return results;
  };
  return { reasons, statuses, record, fail, step, walk };
};

/**
 * At most KARBOR_PLUGIN_CONCURRENCY plugin steps at once per AWS service (EC2, DynamoDB...), over every job
 * of one worker: keyed by its checkpoint store, which every invocation of a runtime shares (each invocation's
 * deps object is its own: its plugins hold that invocation's tenant credentials).
 */
const serviceLimits = new WeakMap<object, Map<string, ReturnType<typeof semaphore>>>();
export const serviceOf = (type: string): string => type.split('::')[1] ?? type;
const limitFor = (deps: WorkerDeps, type: string) => {
  let limits = serviceLimits.get(deps.checkpoints);
  if (!limits) {
    limits = new Map();
    serviceLimits.set(deps.checkpoints, limits);
  }
  const service = serviceOf(type);
  let limit = limits.get(service);
  if (!limit) {
    limit = semaphore(deps.pluginConcurrency ?? DEFAULT_PLUGIN_CONCURRENCY);
    limits.set(service, limit);
  }
  return limit;
};

/**
 * Where a checkpoint's data is (PluginContext.location): a copy's named
 * destination; a checkpoint of the provider's own (a protect, or a copy to
 * the provider itself) has none.
 */
export const locationOf = (c: { providerId: string; extraInfo: Record<string, unknown> }): string | undefined => {
  const destination = c.extraInfo.destination;
  return typeof destination === 'string' && destination !== c.providerId ? destination : undefined;
};

/** The bank a checkpoint at `location` lives in (docs/decisions.md §26). */
export const bankOf = (deps: Pick<WorkerDeps, 'bank' | 'bankAt'>, location: string | undefined): Bank => (deps.bankAt ? deps.bankAt(location) : deps.bank);

/** What a plugin gets for one resource of a checkpoint; every progress report renews the lease. */
export const pluginContext = (
  deps: WorkerDeps,
  lease: HeldLease,
  c: { checkpointId: string; projectId: string; key: string; type: string; parameters: Record<string, string>; location?: string },
  steps: JobSteps,
  progress: (status: string, reason?: string) => Promise<void>,
  restore?: { restoreId: string; restored: Record<string, string> },
): PluginContext => ({
  checkpointId: c.checkpointId,
  projectId: c.projectId,
  bank: bankSection(bankOf(deps, c.location), c.checkpointId, c.key),
  parameters: c.parameters,
  ...(c.location === undefined ? {} : { location: c.location }),
  restored: restore?.restored ?? {},
  ...(restore === undefined ? {} : { restoreId: restore.restoreId }),
  steps: limitedSteps(steps, limitFor(deps, c.type)),
  progress: async (status, reason) => {
    await progress(status, reason);
    await lease.renew();
  },
});
