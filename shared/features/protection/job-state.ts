/**
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
import type { OperationLogChanges } from '../operation-logs/model';

export const MAX_ATTEMPTS = 3;

/** The operation log that follows a job, updated in the same write as the job's final status. */
export interface LogUpdate {
  id: string;
  changes: OperationLogChanges;
}

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
  /** Conditional on holding the lease: moves its end to `until`; false when the lease was lost. */
  renew(id: string, token: string, until: string): Promise<boolean>;
  /** Conditional on holding the lease. */
  setResource(id: string, token: string, key: string, status: string, reason?: string): Promise<void>;
  /** Conditional on holding the lease: records a step's result (the local job engine); LeaseLostError otherwise. */
  saveStep(id: string, token: string, name: string, value: unknown): Promise<void>;
  /** Conditional on holding the lease and `from`; false when the lease was lost. The log changes in the same transaction. */
  finish(id: string, token: string, from: string, to: string, reason?: string, log?: LogUpdate): Promise<boolean>;
  /** Gives the lease back after a crash-like failure, keeping the error for the next attempt. */
  release(id: string, token: string, error: string): Promise<void>;
}

/** An active status past its deadline reads as its failure status. */
export const effectiveStatus = (job: { status: string; deadline?: string }, now: string, failures: Record<string, string>): string =>
  job.status in failures && job.deadline !== undefined && job.deadline < now ? failures[job.status] : job.status;

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A renewal found another holder: this worker must stop writing to the job. */
export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`the lease of job ${id} was taken over`);
    this.name = 'LeaseLostError';
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

export type JobKind = 'checkpoint' | 'restore';

/** A job in its active status, as the index of running jobs lists it (shared/features/protection/store.ts). */
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
