import { Bank } from '../../kernel/ports';
import { bankSection, checkpointPrefix } from './bank';
import type { Checkpoint } from '../checkpoints/model';
import type { Clock } from '../../kernel/ports';
import { EventPublisher } from '../../kernel/ports';
import { LIFECYCLE_EVENTS, WORK_EVENTS } from './events';
import { errorText, JobState, JobStore, LeaseHeldError, LeaseLostError, LogUpdate, MAX_ATTEMPTS } from './jobs';
import { GraphResource, PluginContext, PluginRegistry, ProtectionPlugin, resourceKey } from './plugins';
import type { Provider, ProviderCatalog } from '../providers/model';
import { buildResourceGraph, GraphNode, NodeOutcome, packResourceGraph, unpackResourceGraph, walkGraph } from './resource-graph';
import type { Restore } from '../restores/model';
import { SERVICE_BINARIES, ServiceStore } from '../services/model';

/** Time the worker waits on and ticks with: a port, so tests drive it with a fake clock. */
export interface WorkerTimers {
  sleep(ms: number): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

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
  /** The `karbor-protection` service row reports on every delivery. */
  services: Pick<ServiceStore, 'report'>;
  host: string;
  clock: Clock;
  timers: WorkerTimers;
  newToken: () => string;
  /**
   * How long a claim holds a job without a renewal (KARBOR_JOB_LEASE_SECONDS):
   * short, so a crashed worker's job is taken over by the platform's retry.
   */
  leaseSeconds: number;
  log: (entry: Record<string, unknown>) => void;
}

export type RunOutcome = 'finished' | 'inactive' | 'held' | 'lost-lease';

/** Milliseconds this invocation has left (Lambda's `getRemainingTimeInMillis`). */
export type RemainingTime = () => number;

const DEPENDENCY_FAILED = 'a resource it depends on failed';

/** Past the end of a lapsed lease before claiming again, so the claim's `now` is surely after it. */
const LAPSE_SLACK_MS = 1000;

/** Time a waiting delivery keeps for the job itself: one that resumes with less would only crash again. */
const RUN_RESERVE_MS = 60_000;

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

const providerOf = (deps: WorkerDeps, id: string): Provider | undefined => deps.providers.all().find((p) => p.id === id);

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

/** A claimed job's lease, kept alive while the worker runs it. */
interface HeldLease {
  token: string;
  /** Moves the lease's end on; never throws (a failed renewal is retried by the next one, well before the lease lapses). */
  renew(): Promise<void>;
  /** Throws LeaseLostError once a renewal found another holder. */
  check(): void;
  stop(): void;
}

/**
 * Renews the lease every third of its length (two renewals may fail before it
 * lapses), so a plugin call longer than the lease keeps it; the worker also
 * renews after each resource.
 */
const holdLease = <T extends JobState>(deps: WorkerDeps, jobs: JobStore<T>, id: string, token: string): HeldLease => {
  let lost = false;
  const renew = async () => {
    if (lost) return;
    const until = new Date(deps.clock.now().getTime() + deps.leaseSeconds * 1000).toISOString();
    try {
      if (!(await jobs.renew(id, token, until))) lost = true;
    } catch (error) {
      deps.log({ message: 'renewing a job lease failed', id, error: errorText(error) });
    }
  };
  const stop = deps.timers.every((deps.leaseSeconds * 1000) / 3, () => void renew());
  return {
    token,
    renew,
    check: () => {
      if (lost) throw new LeaseLostError(id);
    },
    stop,
  };
};

/**
 * Claims a job; when another lease holds it, waits once for that lease to
 * lapse. Lambda retries a crashed invocation about 1 and 3 minutes later,
 * often before the crashed worker's last lease (renewed up to the crash) has
 * lapsed; returning `held` there would end the retries and leave the job to
 * its deadline. Waiting (at most the lease length, well within the worker's
 * timeout) costs one idle Lambda, and needs no delayed re-publish, which
 * EventBridge cannot do. If the holder renewed meanwhile it is alive and
 * finishes the job: `held`. If the lease ends later than this invocation
 * can wait (a lease written by an older, longer setting), LeaseHeldError
 * leaves it to the platform's next retry.
 */
const claimOrWait = async <T extends JobState>(deps: WorkerDeps, jobs: JobStore<T>, id: string, active: string, remainingMs: RemainingTime) => {
  const lease = leaseFor(deps);
  const claimed = await jobs.claim(id, active, lease);
  if (claimed.outcome !== 'held') return { claimed, lease };
  const waitMs = Math.max(0, Date.parse(claimed.until) - deps.clock.now().getTime() + LAPSE_SLACK_MS);
  if (waitMs > remainingMs() - RUN_RESERVE_MS) throw new LeaseHeldError(id, claimed.until);
  deps.log({ message: 'waiting for a held lease to lapse', id, until: claimed.until });
  await deps.timers.sleep(waitMs);
  const again = leaseFor(deps);
  return { claimed: await jobs.claim(id, active, again), lease: again };
};

/** One kind of job: its store, active status, give-up status and final write. */
interface JobKind<T extends JobState> {
  jobs: JobStore<T>;
  active: string;
  failed: string;
  finish(token: string, job: T, to: string, reason?: string, statuses?: Record<string, string>): Promise<RunOutcome>;
}

/**
 * Runs a job under a lease: claims it (waiting for a lapsing lease), stops it
 * when it is past its deadline or out of attempts, otherwise runs `work`
 * while renewing the lease; an unexpected failure gives the lease back (the
 * retry resumes) and is rethrown for the platform to retry.
 */
const underLease = async <T extends JobState>(
  deps: WorkerDeps,
  kind: JobKind<T>,
  id: string,
  remainingMs: RemainingTime,
  work: (lease: HeldLease, job: T) => Promise<RunOutcome>,
): Promise<RunOutcome> => {
  const { claimed, lease } = await claimOrWait(deps, kind.jobs, id, kind.active, remainingMs);
  if (claimed.outcome !== 'claimed') return claimed.outcome;
  const reason = giveUpReason(claimed.item, lease.now);
  if (reason !== undefined) {
    await kind.finish(lease.token, claimed.item, kind.failed, reason);
    return 'finished';
  }
  const held = holdLease(deps, kind.jobs, id, lease.token);
  try {
    return await work(held, claimed.item);
  } catch (error) {
    if (error instanceof LeaseLostError) {
      deps.log({ message: 'job taken over by another worker', id });
      return 'lost-lease';
    }
    // The platform retries twice (EventBridge's Lambda target, the local bus): the last attempt finishes the job as failed.
    if (claimed.item.attempts >= MAX_ATTEMPTS) {
      const last = `gave up after ${MAX_ATTEMPTS} attempts: ${errorText(error)}`;
      const stopped = await kind.finish(lease.token, claimed.item, kind.failed, last).then(() => true, () => false);
      if (stopped) return 'finished';
    }
    await kind.jobs.release(id, lease.token, errorText(error));
    throw error;
  } finally {
    held.stop();
  }
};

/** The final status of the job's operation log, written with the job's. */
const logFor = (deps: WorkerDeps, job: { operationLogId?: string }, status: string, reason?: string): LogUpdate | undefined =>
  job.operationLogId === undefined
    ? undefined
    : { id: job.operationLogId, changes: { status, endedAt: deps.clock.now().toISOString(), errorInfo: reason ?? null } };

/** The final write (with the operation log), its log line and its lifecycle event. */
const finisher =
  <T extends JobState & { id: string }>(
    deps: WorkerDeps,
    jobs: JobStore<T>,
    from: string,
    what: { message: string; idField: string; event: (to: string) => string; detail: (job: T, to: string, statuses?: Record<string, string>) => Record<string, unknown> },
  ) =>
  async (token: string, job: T, to: string, reason?: string, statuses?: Record<string, string>): Promise<RunOutcome> => {
    if (!(await jobs.finish(job.id, token, from, to, reason, logFor(deps, job, to, reason)))) return 'lost-lease';
    deps.log({ message: what.message, [what.idField]: job.id, status: to, reason });
    await publishQuietly(deps, what.event(to), { ...what.detail(job, to, statuses), ...(reason === undefined ? {} : { reason }) });
    return 'finished';
  };

const checkpointDetail = (c: Checkpoint, status: string) => ({
  checkpoint_id: c.id,
  project_id: c.projectId,
  provider_id: c.providerId,
  plan_id: c.planId,
  status,
});

const firstReason = (reasons: Record<string, string>): string | undefined => {
  const entries = Object.entries(reasons);
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${k}: ${v}`).join('; ');
};

/**
 * The per-resource bookkeeping of one run: statuses and reasons as written,
 * and `step`, which runs one resource's plugin call between its `running` and
 * `done` marks (a failure is that resource's `error` and reason), renewing
 * the lease as the resource finishes: a retry resumes after it.
 */
const jobRun = <T extends JobState & { id: string }>(jobs: JobStore<T>, job: T, lease: HeldLease) => {
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
const pluginContext = (
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
  /** Before a resource's plugin call: `skip` it (done by an earlier attempt), just `record` a status, or `run` it. */
  before(status: string | undefined): 'skip' | 'run' | { record: string };
  call(plugin: ProtectionPlugin, ctx: PluginContext, resource: GraphResource): Promise<void>;
  /** Whether a resource whose dependency failed is marked `error` with that reason. */
  marksDependents: boolean;
  /** Once every resource is done: a last step, returning a failure reason. */
  afterResources?(c: Checkpoint): Promise<string | undefined>;
}

/** Runs one phase of a checkpoint under a lease: every resource of its graph, children first, then the final write. */
const runCheckpointPhase = (deps: WorkerDeps, checkpointId: string, remainingMs: RemainingTime, phase: CheckpointPhase): Promise<RunOutcome> => {
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
        const before = phase.before(c.resourcesStatus[key]);
        if (before === 'skip') return 'done';
        if (before !== 'run') {
          await run.record(key, before.record);
          return 'done';
        }
        const ctx = pluginContext(deps, lease, { checkpointId: c.id, projectId: c.projectId, key, parameters: parametersFor(c.parameters, resource) }, async (status, reason) =>
          deps.log({ message: phase.messages.progress, checkpoint_id: c.id, resource: key, status, reason }),
        );
        return run.step(key, { running: phase.active, done: phase.done }, () => phase.call(pluginFor(deps, provider, resource.type), ctx, resource));
      },
      async ({ resource }) => {
        if (phase.marksDependents) await run.fail(resourceKey(resource), DEPENDENCY_FAILED);
      },
    );
    let reason = firstReason(run.reasons);
    if (reason === undefined && phase.afterResources) reason = await phase.afterResources(c);
    return finish(lease.token, c, reason === undefined ? phase.done : phase.failed, reason);
  });
};

/**
 * Protects a checkpoint (`Checkpoint Requested`).
 * 1. claim it (`protecting`, lease free or lapsing soon);
 * 2. build the resource graph from the plan's resources and their
 *    dependents, once (a retry reuses the stored graph);
 * 3. protect each resource with its provider's plugin, children first,
 *    independent ones in parallel; resources already `available` are skipped
 *    (resume); each result is written as it happens, and renews the lease;
 * 4. `available` when every resource is, else `error`; publish the lifecycle event.
 */
export const protectCheckpoint = (deps: WorkerDeps, checkpointId: string, remainingMs: RemainingTime = () => 0): Promise<RunOutcome> =>
  runCheckpointPhase(deps, checkpointId, remainingMs, {
    active: 'protecting',
    done: 'available',
    failed: 'error',
    events: { done: LIFECYCLE_EVENTS.checkpointAvailable, failed: LIFECYCLE_EVENTS.checkpointError },
    messages: { finished: 'checkpoint finished', progress: 'protect progress' },
    async graph(c, lease) {
      if (c.resourceGraph) return unpackResourceGraph(c.resourceGraph);
      const start = c.protectionPlan.resources.map((r) => ({ type: r.type, id: r.id, name: r.name, extraInfo: r.extra_info }));
      const roots = await buildResourceGraph(start, (r) => deps.dependentsOf(c.projectId, r));
      await deps.checkpoints.setGraph(c.id, lease.token, packResourceGraph(roots));
      return roots;
    },
    before: (status) => (status === 'available' ? 'skip' : 'run'),
    call: (plugin, ctx, resource) => plugin.protect(ctx, resource),
    marksDependents: true,
  });

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
      // A resource that was never protected has nothing to delete.
      if (status !== undefined && status !== 'available' && status !== 'deleting') return { record: 'deleted' };
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

/**
 * Runs a restore (`Restore Requested`): the checkpoint's graph is restored
 * children first, each resource by its plugin, which reports `restoring` ->
 * `available` as `resources_status` (the No-Op plugin reports nothing, as
 * Karbor's); a plugin error is that resource's `error` and reason.
 * `success` when every resource restored, else `fail`.
 */
export const runRestore = (deps: WorkerDeps, restoreId: string, remainingMs: RemainingTime = () => 0): Promise<RunOutcome> => {
  const jobs = deps.restores.jobs;
  const finish = finisher(deps, jobs, 'in_progress', {
    message: 'restore finished',
    idField: 'restore_id',
    event: (to) => (to === 'success' ? LIFECYCLE_EVENTS.restoreSucceeded : LIFECYCLE_EVENTS.restoreFailed),
    detail: (r: Restore, to, statuses) => ({
      restore_id: r.id,
      project_id: r.projectId,
      provider_id: r.providerId,
      checkpoint_id: r.checkpointId,
      status: to,
      resources_status: statuses ?? r.resourcesStatus,
    }),
  });
  return underLease<Restore>(deps, { jobs, active: 'in_progress', failed: 'fail', finish }, restoreId, remainingMs, async (lease, r) => {
    const checkpoint = await deps.checkpoints.get(r.checkpointId);
    if (!checkpoint || !checkpoint.resourceGraph) return finish(lease.token, r, 'fail', `Checkpoint ${r.checkpointId} has no resource graph.`);
    const provider = providerOf(deps, r.providerId);
    const roots = unpackResourceGraph(checkpoint.resourceGraph);
    const run = jobRun(jobs, r, lease);
    const restored: Record<string, string> = {};
    await walkGraph(
      roots,
      async ({ resource }) => {
        const key = resourceKey(resource);
        if (r.resourcesStatus[key] === 'available') return 'done';
        const ctx = pluginContext(
          deps,
          lease,
          { checkpointId: checkpoint.id, projectId: r.projectId, key, parameters: parametersFor(r.parameters, resource) },
          (status, reason) => run.record(key, status, reason),
          { restoreId: r.id, restored },
        );
        return run.step(key, {}, async () => {
          const result = await pluginFor(deps, provider, resource.type).restore(ctx, resource);
          if (result.id !== undefined) restored[key] = result.id;
        });
      },
      ({ resource }) => run.fail(resourceKey(resource), DEPENDENCY_FAILED),
    );
    const reason = firstReason(run.reasons);
    return finish(lease.token, r, reason === undefined ? 'success' : 'fail', reason, run.statuses);
  });
};

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
    default:
      deps.log({ message: 'unexpected event dropped', detailType: event['detail-type'] });
      return 'ignored';
  }
};
