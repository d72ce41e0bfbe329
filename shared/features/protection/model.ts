import type { Bank, Clock, LockableBank, EventPublisher, IdGen, Log } from '../../kernel/ports';
import type { Checkpoint, CheckpointRepository, CheckpointStore } from '../checkpoints/model';
import type { ProviderCatalog } from '../providers/model';
import type { Restore } from '../restores/model';
import type { Verification } from '../verifications/model';
import type { ServiceStore } from '../services/model';
import type { ActiveJob, ActiveJobIndex, JobState, JobStore } from '../jobs/model';
import type { GraphResource, PluginRegistry } from './plugins';

/** Time the worker waits on and ticks with: a port, so tests drive it with a fake clock. */
export interface WorkerTimers {
  sleep(ms: number): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/**
 * The bank a checkpoint's data is in, by its location (job-run.ts `locationOf`): undefined is the runtime's
 * own bank; a destination's name, that destination's bank (docs/decisions.md §26).
 */
export type BankAt = (location: string | undefined) => LockableBank;

/** The checkpoint records of one bank (./checkpoint-record.ts owns their format), for the catalog import (docs/decisions.md §26). */
export interface CheckpointRecords {
  /** The keys of every record in the bank (its paged listing). */
  keys(): Promise<string[]>;
  /** The checkpoint a record describes, or why it cannot be read. */
  read(key: string): Promise<Checkpoint | string>;
}

export interface WorkerDeps {
  checkpoints: {
    get(id: string): Promise<Checkpoint | undefined>;
    setGraph(id: string, token: string, graph: string): Promise<void>;
    /** A copy's job: `wait_copying` -> `copying` as it starts, `copy_status: finished` as it ends. */
    transition: CheckpointStore['transition'];
    markCopied(id: string, token: string): Promise<void>;
    setKeys: CheckpointRepository['setKeys'];
    setManifestDigest(id: string, token: string, digest: string, bytes?: number): Promise<void>;
    /** A delete's first step: the plan's last-good time moves back if this was its newest good checkpoint (docs/decisions.md §20). */
    retractGood(c: Pick<Checkpoint, 'id' | 'planId' | 'projectId'>): Promise<void>;
    jobs: JobStore<Checkpoint>;
  };
  restores: { jobs: JobStore<Restore> };
  verifications: { jobs: JobStore<Verification> };
  providers: ProviderCatalog;
  plugins: PluginRegistry;
  /** The resources a resource depends on (protectables' dependents), for the graph. */
  dependentsOf(projectId: string, resource: GraphResource): Promise<GraphResource[]>;
  bank: Bank;
  /** What encrypts the bank's objects (KARBOR_BANK_KEY), recorded by each checkpoint; undefined: the local file bank. */
  bankKey?: string;
  /** The bank of a location; absent (tests): `bank` everywhere. */
  bankAt?: BankAt;
  events: EventPublisher;
  /** The `karbor-protection` service row reports on every delivery. */
  services: Pick<ServiceStore, 'report'>;
  host: string;
  clock: Clock;
  timers: WorkerTimers;
  ids: IdGen;
  /**
   * How long a claim holds a job without a renewal (KARBOR_JOB_LEASE_SECONDS):
   * short, so a crashed worker's job is taken over by the platform's retry.
   */
  leaseSeconds: number;
  /** Plugin steps running at once per AWS service in this process (KARBOR_PLUGIN_CONCURRENCY); default DEFAULT_PLUGIN_CONCURRENCY. */
  pluginConcurrency?: number;
  log: Log;
}

export const DEFAULT_PLUGIN_CONCURRENCY = 4;

export type RunOutcome = 'finished' | 'inactive' | 'held' | 'lost-lease';

/** Milliseconds this invocation has left (Lambda's `getRemainingTimeInMillis`). */
export type RemainingTime = () => number;

/**
 * The sweep: finds every job left in its active status (`protecting`,
 * `deleting`, a restore `in_progress`) whose delivery was lost, and puts its
 * work request on the bus again; the worker resumes it after the resources
 * already done (a verification `in_progress` included).
 */
export interface SweepDeps {
  active: ActiveJobIndex;
  /** Only to give back the lease of a dead runtime (restart). */
  jobs: Record<ActiveJob['kind'], Pick<JobStore<JobState>, 'release'>>;
  events: EventPublisher;
  clock: Clock;
  log: Log;
}
