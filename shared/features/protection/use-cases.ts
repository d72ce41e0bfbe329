import { HEARTBEAT_EVENT, SERVICE_BINARIES } from '../services/model';
import { WORK_EVENTS, type WorkEvent } from '../../events/names';
import { type ActiveJob, errorText } from '../jobs/model';
import { type JobEngine, localEngine } from './job-steps';
import { copyCheckpoint } from './jobs/copy';
import { deleteCheckpointData } from './jobs/delete';
import { protectCheckpoint } from './jobs/protect';
import { runRestore } from './jobs/restore';
import { runVerification } from './jobs/verify';
import type { RemainingTime, RunOutcome, SweepDeps, WorkerDeps } from './model';

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
  engine: JobEngine = localEngine(deps.timers.sleep),
): Promise<RunOutcome | 'ignored'> => {
  try {
    await deps.services.report(SERVICE_BINARIES.protection, deps.host, deps.clock.now());
  } catch (error) {
    deps.log({ message: 'reporting the protection service failed', error: errorText(error) });
  }
  const detail = event.detail ?? {};
  const id = (key: string) => (typeof detail[key] === 'string' ? (detail[key] as string) : undefined);
  const run = (key: string, job: Job) => {
    const value = id(key);
    if (value === undefined) {
      deps.log({ message: 'event without an id dropped', detailType: event['detail-type'], key });
      return Promise.resolve('ignored' as const);
    }
    return job(deps, value, remainingMs, engine);
  };
  const jobs = workJobs();
  const work = Object.hasOwn(jobs, event['detail-type']) ? jobs[event['detail-type'] as WorkEvent] : undefined;
  if (work) return run(work.idKey, work.job);
  // A heartbeat no longer reaches the worker (functions/services/heartbeat.ts reports its row); one from an older
  // stack's rule, still in flight during an upgrade, is the report above and nothing else.
  if (event['detail-type'] === HEARTBEAT_EVENT['detail-type']) return 'ignored';
  deps.log({ message: 'unexpected event dropped', detailType: event['detail-type'] });
  return 'ignored';
};

type Job = (deps: WorkerDeps, id: string, remainingMs: RemainingTime, engine: JobEngine) => Promise<RunOutcome>;

/**
 * The job each work request runs, by its detail-type: a work event without a
 * job here is a type error. A function, not a module constant, so a bundle
 * that only redelivers (the sweep) drops the jobs with it.
 */
const workJobs = (): Record<WorkEvent, { idKey: string; job: Job }> => ({
  [WORK_EVENTS.checkpointRequested]: { idKey: 'checkpoint_id', job: protectCheckpoint },
  [WORK_EVENTS.checkpointDeleteRequested]: { idKey: 'checkpoint_id', job: deleteCheckpointData },
  [WORK_EVENTS.restoreRequested]: { idKey: 'restore_id', job: runRestore },
  [WORK_EVENTS.checkpointCopyRequested]: { idKey: 'checkpoint_id', job: copyCheckpoint },
  [WORK_EVENTS.verificationRequested]: { idKey: 'verification_id', job: runVerification },
});

/**
 * How long a job may wait for its first delivery (or a platform retry) before
 * the periodic sweep delivers it again: a delivery still on its way claims
 * it well within this, and a second delivery would only find it held.
 */
export const SWEEP_GRACE_SECONDS = 60;
/** Jobs re-delivered per sweep at most; the next sweep takes the rest. */
const SWEEP_LIMIT = 500;

const workRequest = (job: ActiveJob) => {
  if (job.kind === 'restore') return { detailType: WORK_EVENTS.restoreRequested, detail: { restore_id: job.id, project_id: job.projectId, redelivered: true } };
  if (job.kind === 'verification') {
    return { detailType: WORK_EVENTS.verificationRequested, detail: { verification_id: job.id, project_id: job.projectId, redelivered: true } };
  }
  const detailType =
    job.status === 'deleting'
      ? WORK_EVENTS.checkpointDeleteRequested
      : job.status === 'wait_copying' || job.status === 'copying'
        ? WORK_EVENTS.checkpointCopyRequested
        : WORK_EVENTS.checkpointRequested;
  return { detailType, detail: { checkpoint_id: job.id, project_id: job.projectId, status: job.status, redelivered: true } };
};

/**
 * Re-delivers stalled jobs; returns them.
 * - periodic (a scheduled worker on AWS, the local scheduler's minute): jobs
 *   active for longer than SWEEP_GRACE_SECONDS whose lease is missing or
 *   lapsed, so their holder is gone; a live lease is a worker still on it;
 * - `restart` (the local runtime starting): every active job, at once. The
 *   runtime has its table to itself (one runtime per data dir, a lock file
 *   keeps a second one out), so a lease found at start belongs to the process
 *   that died: it is given back (conditional on its token) rather than
 *   waited out, and the job resumes within seconds of the restart. Never on
 *   AWS, where another worker may be alive.
 */
export const redeliverStalledJobs = async (deps: SweepDeps, opts: { restart?: boolean } = {}): Promise<ActiveJob[]> => {
  const now = deps.clock.now();
  const cutoff = opts.restart ? now : new Date(now.getTime() - SWEEP_GRACE_SECONDS * 1000);
  // `~` sorts after the `#<kind>#<id>` tail: every job that started up to the cutoff.
  const jobs = await deps.active.list(`${cutoff.toISOString()}~`, SWEEP_LIMIT);
  const stalled: ActiveJob[] = [];
  for (const job of jobs) {
    if (opts.restart && job.leaseToken !== undefined) {
      await deps.jobs[job.kind].release(job.id, job.leaseToken, 'the runtime running it stopped');
    } else if (job.leaseUntil !== undefined && job.leaseUntil >= now.toISOString()) {
      continue;
    }
    stalled.push(job);
  }
  for (let i = 0; i < stalled.length; i += 10) {
    try {
      await deps.events.publish(stalled.slice(i, i + 10).map(workRequest));
    } catch (error) {
      // The next sweep tries again.
      deps.log({ message: 'redelivering stalled jobs failed', error: errorText(error) });
      return stalled.slice(0, i);
    }
  }
  if (stalled.length > 0) deps.log({ message: 'stalled jobs redelivered', jobs: stalled.map((j) => `${j.kind} ${j.id} (${j.status})`) });
  return stalled;
};
