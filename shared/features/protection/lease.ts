import { errorText, type JobState, type JobStore, LeaseHeldError, LeaseLostError, type LogUpdate, MAX_ATTEMPTS } from '../jobs/model';
import type { JobEngine, JobSteps } from './job-steps';
import type { RemainingTime, RunOutcome, WorkerDeps } from './model';

/**
 * The job lease engine: one worker at a time runs a stored job (a checkpoint
 * being protected or deleted, a restore), a crashed worker's job is taken
 * over by the platform's retry, and the final write is guarded. It knows jobs
 * only through the JobStore port (./jobs.ts), not what they do.
 */

/** What the lease engine needs of the worker's ports. */
type LeaseDeps = Pick<WorkerDeps, 'clock' | 'timers' | 'ids' | 'leaseSeconds' | 'log'>;

/** Past the end of a lapsed lease before claiming again, so the claim's `now` is surely after it. */
const LAPSE_SLACK_MS = 1000;

/** Time a waiting delivery keeps for the job itself: one that resumes with less would only crash again. */
const RUN_RESERVE_MS = 60_000;

const leaseFor = (deps: LeaseDeps) => {
  const now = deps.clock.now();
  return { token: deps.ids.newId(), now: now.toISOString(), until: new Date(now.getTime() + deps.leaseSeconds * 1000).toISOString() };
};

/** Why a claimed job must stop at once, or undefined to run it. */
const giveUpReason = (job: { deadline: string; attempts: number; lastError?: string }, now: string): string | undefined => {
  if (job.deadline < now) return 'the job did not finish before its deadline';
  if (job.attempts > MAX_ATTEMPTS) return `gave up after ${MAX_ATTEMPTS} attempts${job.lastError ? `: ${job.lastError}` : ''}`;
  return undefined;
};

/** A claimed job's lease, kept alive while the worker runs it. */
export interface HeldLease {
  token: string;
  /** Moves the lease's end on; never throws (a failed renewal is retried by the next one, well before the lease lapses). */
  renew(): Promise<void>;
  /**
   * Moves the lease's end past a wait of `seconds` (a durable wait runs no
   * code to renew it): the sweep then leaves the waiting job alone. Later
   * renewals never move the end back before it.
   */
  extend(seconds: number): Promise<void>;
  /** Throws LeaseLostError once a renewal found another holder. */
  check(): void;
  stop(): void;
}

/**
 * Renews the lease every third of its length (two renewals may fail before it
 * lapses), so a plugin call longer than the lease keeps it; the worker also
 * renews after each resource.
 */
const holdLease = <T extends JobState>(deps: LeaseDeps, jobs: JobStore<T>, id: string, token: string): HeldLease => {
  let lost = false;
  /** The end an extension asked for (ms): renewals keep at least it. */
  let floor = 0;
  const renew = async () => {
    if (lost) return;
    const until = new Date(Math.max(floor, deps.clock.now().getTime() + deps.leaseSeconds * 1000)).toISOString();
    try {
      await jobs.renew(id, token, until);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        lost = true;
        return;
      }
      deps.log({ message: 'renewing a job lease failed', id, error: errorText(error) });
    }
  };
  const stop = deps.timers.every((deps.leaseSeconds * 1000) / 3, () => void renew());
  return {
    token,
    renew,
    async extend(seconds) {
      floor = deps.clock.now().getTime() + (seconds + deps.leaseSeconds) * 1000;
      await renew();
    },
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
const claimOrWait = async <T extends JobState>(deps: LeaseDeps, jobs: JobStore<T>, id: string, active: string, remainingMs: RemainingTime) => {
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
  finish(token: string, job: T, to: string, reason?: string, statuses?: Record<string, string>, made?: Record<string, string>): Promise<RunOutcome>;
}

/**
 * Runs a job under a lease: claims it (waiting for a lapsing lease), stops it
 * when it is past its deadline or out of attempts, otherwise runs `work`
 * while renewing the lease; an unexpected failure gives the lease back (the
 * retry resumes) and is rethrown for the platform to retry.
 */
export const underLease = async <T extends JobState>(
  deps: LeaseDeps,
  kind: JobKind<T>,
  id: string,
  remainingMs: RemainingTime,
  engine: JobEngine,
  work: (lease: HeldLease, job: T, steps: JobSteps) => Promise<RunOutcome>,
): Promise<RunOutcome> => {
  // A durable replay is the same attempt: it gets the recorded claim (and lease token) back.
  const { claimed, lease } = await engine.attempt('claim', () => claimOrWait(deps, kind.jobs, id, kind.active, remainingMs));
  if (claimed.outcome !== 'claimed') return claimed.outcome;
  const reason = giveUpReason(claimed.item, lease.now);
  if (reason !== undefined) {
    await kind.finish(lease.token, claimed.item, kind.failed, reason);
    return 'finished';
  }
  const held = holdLease(deps, kind.jobs, id, lease.token);
  try {
    const steps = engine.steps(claimed.item, (name, value) => kind.jobs.saveStep(id, lease.token, name, value));
    return await work(held, claimed.item, leasedSteps(steps, held));
  } catch (error) {
    if (error instanceof LeaseLostError) {
      deps.log({ message: 'job taken over by another worker', id });
      return 'lost-lease';
    }
    // The platform retries twice (EventBridge's Lambda target, the local bus): the last attempt finishes the job as failed.
    if (claimed.item.attempts >= MAX_ATTEMPTS) {
      const last = `gave up after ${MAX_ATTEMPTS} attempts: ${errorText(error)}`;
      const stopped = await kind.finish(lease.token, claimed.item, kind.failed, last).then(
        () => true,
        () => false,
      );
      if (stopped) return 'finished';
    }
    await kind.jobs.release(id, lease.token, errorText(error));
    throw error;
  } finally {
    held.stop();
  }
};

/** Steps whose waits first extend the lease past them (recorded, so a replay does not extend it again). */
const leasedSteps = (steps: JobSteps, lease: HeldLease): JobSteps => ({
  step: (name, fn) => steps.step(name, fn),
  async wait(name, seconds) {
    await steps.step(`${name}:lease`, () => lease.extend(seconds));
    await steps.wait(name, seconds);
  },
  child: (name, fn) => steps.child(name, (inner) => fn(leasedSteps(inner, lease))),
});

/** The final status of the job's operation log, written with the job's. */
const logFor = (deps: Pick<WorkerDeps, 'clock'>, job: { operationLogId?: string }, status: string, reason?: string): LogUpdate | undefined =>
  job.operationLogId === undefined
    ? undefined
    : { id: job.operationLogId, changes: { status, endedAt: deps.clock.now().toISOString(), errorInfo: reason ?? null } };

/** The final write (with the operation log), its log line and its lifecycle event. */
export const finisher =
  <T extends JobState & { id: string }>(
    deps: Pick<WorkerDeps, 'clock' | 'log' | 'events'>,
    jobs: JobStore<T>,
    from: string,
    what: {
      message: string;
      idField: string;
      event: (to: string) => string;
      detail: (job: T, to: string, statuses?: Record<string, string>, made?: Record<string, string>) => Record<string, unknown>;
    },
  ) =>
  async (token: string, job: T, to: string, reason?: string, statuses?: Record<string, string>, made?: Record<string, string>): Promise<RunOutcome> => {
    try {
      const at = deps.clock.now().toISOString();
      await jobs.finish(job.id, token, from, to, reason, logFor(deps, job, to, reason), made, at);
    } catch (error) {
      if (error instanceof LeaseLostError) return 'lost-lease';
      throw error;
    }
    deps.log({ message: what.message, [what.idField]: job.id, status: to, reason });
    await publishQuietly(deps, what.event(to), { ...what.detail(job, to, statuses, made), ...(reason === undefined ? {} : { reason }) });
    return 'finished';
  };

const publishQuietly = async (deps: Pick<WorkerDeps, 'events' | 'log'>, detailType: string, detail: Record<string, unknown>) => {
  try {
    await deps.events.publish([{ detailType, detail }]);
  } catch (error) {
    // Lifecycle events are for integrations; the job's state is already written.
    deps.log({ message: 'publishing a lifecycle event failed', detailType, error: errorText(error) });
  }
};
