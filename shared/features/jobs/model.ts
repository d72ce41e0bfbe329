/**
 * Jobs: the state that checkpoints and restores carry while the protection
 * worker runs them, and the rules on it. Its own feature so that checkpoints
 * and restores (which store jobs) and protection (which runs them) depend on
 * it, not on each other.
 *
 * What the protection worker needs of a stored job (a checkpoint being
 * protected or deleted, a restore running): a lease so that one worker runs
 * it at a time, per-resource progress, and a guarded final write.
 *
 * Robustness (see README "Checkpoints, restores and events"):
 * - each delivery claims the job with a conditional write: the job must still
 *   be in its active status, and any earlier lease must have expired;
 * - the lease is short (KARBOR_JOB_LEASE_SECONDS, default 120 s) and its
 *   holder renews it as it goes, so the lease of a crashed worker lapses soon
 *   after the crash and a platform retry takes the job over;
 * - per-resource status is written as each resource finishes, so a retry
 *   resumes after the last finished resource;
 * - a job claimed more than MAX_ATTEMPTS times, or past its deadline, is
 *   finished as failed with the reason;
 * - a job nobody finishes before its deadline is shown as failed
 *   (`effectiveStatus`), and is written so by the next claim.
 */
import type { LogUpdate } from '../operation-logs/model';
import { ConditionLostError } from '../../kernel/errors';

export type { LogUpdate };

export const MAX_ATTEMPTS = 3;

export interface JobLease {
  token: string;
  /** ISO time the lease ends (a crashed holder's lease expires by itself). */
  until: string;
  now: string;
}

export interface JobState {
  status: string;
  deadline: string;
  attempts: number;
  lastError?: string;
  resourcesStatus: Record<string, string>;
  resourcesReason: Record<string, string>;
  /** The operation log of the current phase (protect, delete, restore). */
  operationLogId?: string;
  /** The local job engine's recorded step results, by step name (./job-steps.ts); gone once the job finishes. */
  jobSteps?: Record<string, unknown>;
  /** What the job made of each resource (`<type>#<id>` -> the new resource's id: a restored table's name), written as it finishes. */
  resourcesMade?: Record<string, string>;
}

export type Claim<T> =
  | { outcome: 'claimed'; item: T }
  /** Not in the active status any more (finished, or never existed). */
  | { outcome: 'inactive'; item?: T }
  /** Another worker holds an unexpired lease, until `until` (ISO) unless it renews it. */
  | { outcome: 'held'; item: T; until: string };

/** Job store port, implemented per entity (checkpoints, restores). */
export interface JobStore<T extends JobState> {
  /** Conditional: status = active AND (no lease OR lease expired); increments attempts. */
  claim(id: string, active: string, lease: JobLease): Promise<Claim<T>>;
  /** Conditional on holding the lease: moves its end to `until`; LeaseLostError when the lease was lost. */
  renew(id: string, token: string, until: string): Promise<void>;
  /** Conditional on holding the lease. */
  setResource(id: string, token: string, key: string, status: string, reason?: string): Promise<void>;
  /** Conditional on holding the lease: records a step's result (the local job engine); LeaseLostError otherwise. */
  saveStep(id: string, token: string, name: string, value: unknown): Promise<void>;
  /**
   * Conditional on holding the lease and `from`; LeaseLostError when the lease was lost. The log changes in the
   * same transaction, and `made` (what the job made of each resource) is written with the final status.
   */
  finish(
    id: string,
    token: string,
    from: string,
    to: string,
    reason?: string,
    log?: LogUpdate,
    made?: Record<string, string>,
    at?: string,
    /** False: without the overview's counts (docs/decisions.md §23). */
    counted?: boolean,
  ): Promise<void>;
  /** Gives the lease back after a crash-like failure, keeping the error for the next attempt. */
  release(id: string, token: string, error: string): Promise<void>;
}

/** An active status past its deadline reads as its failure status. */
export const effectiveStatus = (job: { status: string; deadline?: string }, now: string, failures: Record<string, string>): string =>
  job.status in failures && job.deadline !== undefined && job.deadline < now ? failures[job.status] : job.status;

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A lease-holder's write found another holder (or none): this worker must stop writing to the job. */
export class LeaseLostError extends ConditionLostError {
  override name = 'LeaseLostError';
  constructor(id: string) {
    super(`the lease of job ${id} was taken over`);
  }
}

/**
 * Another worker's lease ends later than this invocation could wait for it:
 * thrown so that the platform's next retry tries again.
 */
export class LeaseHeldError extends Error {
  constructor(id: string, until: string) {
    super(`job ${id} is leased until ${until}, later than this attempt can wait`);
    this.name = 'LeaseHeldError';
  }
}

export type JobKind = 'checkpoint' | 'restore' | 'verification';

/** A job in its active status, as the index of running jobs lists it (shared/features/jobs/store.ts). */
export interface ActiveJob {
  kind: JobKind;
  id: string;
  projectId: string;
  status: string;
  /** ISO time its active phase started. */
  since: string;
  leaseToken?: string;
  leaseUntil?: string;
}

/** The index of running jobs: what the sweep reads instead of scanning every checkpoint and restore. */
export interface ActiveJobIndex {
  /** Up to `limit` jobs whose active phase started before `before` (ISO). */
  list(before: string, limit: number): Promise<ActiveJob[]>;
}

/** Resource statuses that end a resource's part in a job: it will not change again in this phase. */
const ENDED = new Set(['available', 'deleted', 'error', 'error-deleting', 'success', 'fail']);

export interface Progress {
  /** Resources the job covers, once known (a checkpoint's graph; null before it is built). */
  resources_total: number | null;
  /** Resources whose status has ended, done or failed. */
  resources_done: number;
  resources_failed: number;
  /** 0-100: done over total; 100 once the job itself has ended; null while the total is unknown. */
  percent: number | null;
}

/**
 * How far a job got, from its per-resource statuses (an extension field on
 * checkpoints, restores and verifications, like AWS Backup's PercentDone).
 */
export const progressOf = (statuses: Record<string, string>, total: number | null, jobEnded: boolean): Progress => {
  const values = Object.values(statuses);
  const done = values.filter((s) => ENDED.has(s)).length;
  const failed = values.filter((s) => s === 'error' || s === 'error-deleting' || s === 'fail').length;
  const known = total ?? (jobEnded ? done : null);
  const percent = jobEnded ? 100 : known === null || known === 0 ? null : Math.min(100, Math.floor((done * 100) / known));
  return { resources_total: known, resources_done: done, resources_failed: failed, percent };
};

/** Why a job failed: its recorded reason, or its deadline when only the deadline made it read as failed. */
export const statusReason = (job: { status: string; errorReason?: string }, shown: string): string | null =>
  job.errorReason ?? (shown !== job.status ? 'the job did not finish before its deadline' : null);

/** How many resources a packed resource graph (protection/resource-graph.ts) holds, without building it: a job's total. */
export const packedGraphSize = (packed: string): number => Object.keys((JSON.parse(packed) as [Record<string, unknown>])[0] ?? {}).length;
