import type { Provider } from '../providers/model';
import { bankSection } from './bank';
import { errorText, type JobState, type JobStore, LeaseLostError } from './job-state';
import type { HeldLease } from './lease';
import type { WorkerDeps } from './model';
import { type GraphResource, type PluginContext, type ProtectionPlugin, resourceKey } from './plugins';
import type { NodeOutcome } from './resource-graph';

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
  const fail = async (key: string, reason: string) => {
    reasons[key] = reason;
    await record(key, 'error', reason);
  };
  const step = async (key: string, marks: { running?: string; done?: string }, call: () => Promise<void>): Promise<NodeOutcome> => {
    lease.check();
    if (marks.running !== undefined) await record(key, marks.running);
    // The renewal right after the plugin call also tells whether this worker may still write the result.
    const renewed = async () => {
      await lease.renew();
      lease.check();
    };
    try {
      await call();
      await renewed();
      if (marks.done !== undefined) await record(key, marks.done);
      return 'done';
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      await renewed();
      await fail(key, errorText(error));
      return 'failed';
    }
  };
  return { reasons, statuses, record, fail, step };
};

/** What a plugin gets for one resource of a checkpoint; every progress report renews the lease. */
export const pluginContext = (
  deps: WorkerDeps,
  lease: HeldLease,
  c: { checkpointId: string; projectId: string; key: string; parameters: Record<string, string> },
  progress: (status: string, reason?: string) => Promise<void>,
  restore?: { restoreId: string; restored: Record<string, string> },
): PluginContext => ({
  checkpointId: c.checkpointId,
  projectId: c.projectId,
  bank: bankSection(deps.bank, c.checkpointId, c.key),
  parameters: c.parameters,
  restored: restore?.restored ?? {},
  ...(restore === undefined ? {} : { restoreId: restore.restoreId }),
  progress: async (status, reason) => {
    await progress(status, reason);
    await lease.renew();
  },
});
