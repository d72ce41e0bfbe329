import type { DestinationCatalog } from '../destinations/model';
import type { Clock, EventPublisher, IdGen, Log } from '../../kernel/ports';
import { effectiveStatus, type JobState, type JobStore } from '../jobs/model';
import type { LogUpdate, OperationLog } from '../operation-logs/model';
import type { ListRules } from '../../kernel/list-options';
import type { PlanLookup } from '../plans/model';
import type { ProviderCatalog } from '../providers/model';
import type { Identity } from '../../kernel/identity';
import { ConflictError, ForbiddenError } from '../../kernel/errors';

export type CheckpointStatus = 'protecting' | 'available' | 'error' | 'deleting' | 'deleted' | 'error-deleting' | 'wait_copying' | 'copying';

interface CheckpointResource {
  id: string;
  type: string;
  name: string | null;
  /** JSON text or null, as Karbor keeps it inside checkpoints. */
  extra_info: string | null;
}

/** A checkpoint as stored (Karbor's bank record, docs/contract.md §5.4, plus the worker's job state). */
export interface Checkpoint extends JobState {
  id: string;
  /** The plan's project. */
  projectId: string;
  providerId: string;
  planId: string;
  status: CheckpointStatus;
  protectionPlan: { id: string; name: string; provider_id: string; resources: CheckpointResource[] };
  /** Plan parameters at creation (the plugins' options). */
  parameters: Record<string, Record<string, string> | null>;
  /** Karbor's packed graph (JSON text), written when protection starts. */
  resourceGraph: string | null;
  extraInfo: Record<string, unknown>;
  /** ISO 8601 creation time; the view shows the date only. */
  createdAt: string;
  /** Why protection or deletion failed (events and logs; not in Karbor's view). */
  errorReason?: string;
  /** SHA-256 of the checkpoint's bank manifest (shared/features/protection/bank-manifest.ts), written once protected; absent on older checkpoints. */
  bankManifestDigest?: string;
  /** Bytes of the bank objects its protect wrote, manifest included (docs/decisions.md §23); absent on older checkpoints and copies. */
  bankBytes?: number;
  /** A retention lock (docs/decisions.md §19); it binds while `until` is later than now. */
  lock?: CheckpointLock;
  /** A legal hold: binds until released, whatever the lock says (docs/decisions.md §19). */
  legalHold?: boolean;
}

/** S3 Object Lock's two modes: governance may be lifted with the unlock right, compliance by nobody. */
export const LOCK_MODES = ['governance', 'compliance'] as const;
export type LockMode = (typeof LOCK_MODES)[number];

export interface CheckpointLock {
  mode: LockMode;
  /** ISO 8601 time (`toISOString()` form, so stored values compare as strings). */
  until: string;
}

/** Karbor-style policy name of the unlock right (the admin role holds it; docs/decisions.md §19). */
export const UNLOCK_POLICY = 'provider:checkpoint_unlock';

/** The lock while it binds, else undefined. */
export const activeLock = (c: Pick<Checkpoint, 'lock'>, now: string): CheckpointLock | undefined =>
  c.lock !== undefined && c.lock.until > now ? c.lock : undefined;

/** Why a checkpoint may not be deleted now (a running lock or a hold), or undefined. */
export const lockedReason = (c: Pick<Checkpoint, 'id' | 'lock' | 'legalHold'>, now: string): string | undefined => {
  if (c.legalHold) return `Checkpoint ${c.id} is on legal hold.`;
  const lock = activeLock(c, now);
  return lock ? `Checkpoint ${c.id} is locked (${lock.mode}) until ${lock.until}.` : undefined;
};

/**
 * Where a checkpoint's lock reaches its data (docs/decisions.md §19): the
 * bank's objects of the checkpoint (S3 Object Lock, or the local bank's
 * retention files). Implemented by the protection feature, which owns the
 * bank (shared/features/protection/deps.ts `checkpointDataLocks`).
 */
export interface CheckpointDataLocks {
  /** `checkpoint`: where its data is (a copy's destination bank, docs/decisions.md §26); absent, the runtime's own bank. */
  apply(checkpointId: string, change: LockChange, checkpoint?: Pick<Checkpoint, 'providerId' | 'extraInfo'>): Promise<void>;
}

/** What a lock request asks for: a lock (null lifts it), a hold, or both. */
export interface LockChange {
  lock?: CheckpointLock | null;
  legalHold?: boolean;
}

/**
 * The lock rules (docs/decisions.md §19) as an error to throw, or undefined
 * when `change` may be applied to `c` by this caller. The store's write
 * checks the compliance rule and the member's no-shortening rule again in
 * its condition, so a race cannot get round them.
 */
export const lockProblem = (c: Checkpoint, change: LockChange, isAdmin: boolean, now: string): Error | undefined => {
  const refused = () => new ForbiddenError(`Policy doesn't allow ${UNLOCK_POLICY} to be performed.`);
  if (change.legalHold === false && c.legalHold && !isAdmin) return refused();
  const current = activeLock(c, now);
  if (change.lock === undefined || current === undefined) return undefined;
  const next = change.lock;
  if (current.mode === 'compliance' && (next === null || next.mode !== 'compliance' || next.until < current.until)) {
    return new ConflictError(`Checkpoint ${c.id} is locked in compliance mode until ${current.until}; the lock can only be extended.`);
  }
  if (!isAdmin && (next === null || next.until < current.until)) return refused();
  return undefined;
};

/** A delete refused because a lock or legal hold keeps the checkpoint (409; docs/decisions.md §19). */
export class CheckpointLockedError extends ConflictError {
  override name = 'CheckpointLockedError';
}

/** Active statuses and what they read as once their deadline passed. */
export const CHECKPOINT_FAILURES: Record<string, string> = { protecting: 'error', deleting: 'error-deleting', wait_copying: 'error', copying: 'error' };

export interface CheckpointQuery {
  providerId: string;
  /** undefined: every project (admin all_tenants). */
  projectId?: string;
  planIds?: string[];
  /** Inclusive `YYYY-MM-DD` bounds on the creation date. */
  startDate?: string;
  endDate?: string;
  dir: 'asc' | 'desc';
  limit: number;
  /** Start after this checkpoint (the marker). */
  after?: Checkpoint;
}

/** The checkpoint store port (shared/features/checkpoints/store.ts). */
export interface CheckpointStore {
  /**
   * Writes the checkpoint, its operation log and the project's checkpoint
   * count together; over `quotaLimit` (>= 0) it is QuotaExceededError (413).
   */
  create(c: Checkpoint, log?: OperationLog, quotaLimit?: number): Promise<void>;
  get(id: string): Promise<Checkpoint | undefined>;
  /** Listed (not deleted) checkpoints, ordered by creation time. */
  list(q: CheckpointQuery): Promise<Checkpoint[]>;
  /**
   * Conditional status change: the current status must be one of `from`
   * (`error` also matches a `protecting` whose deadline passed). Answers the
   * changed checkpoint; ConditionLostError when it is gone or in another status.
   */
  transition(
    id: string,
    change: {
      from: readonly string[];
      to: CheckpointStatus;
      now: string;
      deadline?: string;
      log?: { put?: OperationLog; update?: LogUpdate };
      /** Changes the project's checkpoint count in the same transaction. */
      quotaDelta?: number;
      /** Only if no lock binds at this time and no hold is set (a delete; docs/decisions.md §19). */
      unlockedAt?: string;
    },
  ): Promise<Checkpoint>;
  /** Removes a checkpoint whose protection could not even be started. */
  remove(id: string, status: CheckpointStatus, logId?: string): Promise<void>;
  /** The copy each source has for `destination` (its guard item), by source id; sources never copied there are absent. */
  copiesOf(sourceIds: readonly string[], destination: string): Promise<Map<string, string>>;
  /**
   * Writes every copy, its operation log, its source's guard for the
   * destination and the project's checkpoint count in one transaction: all
   * or nothing. Over `quotaLimit` (>= 0) it is QuotaExceededError (413); a
   * guard another call wrote meanwhile (or a replaced copy no longer
   * `error`/`deleted`) is ConflictError (409).
   */
  createCopies(copies: readonly NewCopy[], quotaLimit: number): Promise<void>;
  /**
   * Writes a lock change on an `available` checkpoint, conditional on the
   * rules a race could break: an active compliance lock is only extended,
   * and without `mayShorten` an active lock is only extended and a hold
   * not released. Answers the changed checkpoint; ConditionLostError else.
   */
  setLock(id: string, change: LockChange & { now: string; mayShorten: boolean }): Promise<Checkpoint>;
}

/** One copy to write: the copy (`wait_copying`), its log, and the copy it replaces (failed or deleted), if any. */
export interface NewCopy {
  copy: Checkpoint;
  log: OperationLog;
  sourceId: string;
  destination: string;
  replaces?: string;
}

/** One DynamoDB transaction holds 100 items; a copy takes four (copy, log, guard, the replaced copy's check), the quota one. */
export const MAX_COPIES_PER_REQUEST = 20;

/** Karbor's marker of a finished copy in its `extra_info` (a copy is never copied again). */
export const COPY_FINISHED = { copy_status: 'finished' } as const;

/** Statuses of an earlier copy that let its source be copied to the same destination again (docs/decisions.md §15). */
export const COPY_REPLACEABLE: readonly string[] = ['error', 'deleted'];

export interface CheckpointDeps {
  checkpoints: CheckpointStore;
  plans: PlanLookup;
  providers: ProviderCatalog;
  /** The configured copy destinations (docs/decisions.md §25). */
  destinations: DestinationCatalog;
  events: EventPublisher;
  clock: Clock;
  ids: IdGen;
  /** Where a failure that must not fail the request is told (a lifecycle event not published). */
  log: Log;
  /** Seconds a protect/delete may take before it counts as failed. */
  deadlineSeconds: number;
  /** Karbor's `quota_checkpoints` (-1: unlimited). */
  quota: { checkpointLimit(projectId: string): Promise<number> };
}

export const checkpointListRules: ListRules = {
  // Karbor honours only the first direction; keys are validated, then ignored.
  sortKeys: 'any',
  memberFilters: ['project_id', 'plan_id', 'start_date', 'end_date'],
  allTenants: true,
};

/** What one free-form request field may take of a 400 KB item. */
export const MAX_FIELD_BYTES = 64 * 1024;

/** Statuses reset-state accepts as Karbor does (docs/contract.md §5.9). */
export const RESETTABLE = ['available', 'error', 'copying', 'wait_copying', 'finished'] as const;

/**
 * Statuses reset-state also accepts here, so that an admin can always free a
 * stuck checkpoint (docs/decisions.md): a running job, or a failed delete.
 */
export const RESETTABLE_STUCK = ['protecting', 'deleting', 'error-deleting'] as const;

/**
 * The protection port the scheduler uses (shared/features/operation-engine):
 * start a checkpoint of a plan, list a plan's checkpoints, delete one.
 * Declared here, where it is implemented (./deps.ts protectionService over the
 * use cases), so the operation engine depends on checkpoints and not back.
 */
export interface CheckpointSummary {
  id: string;
  status: string;
  /** ISO 8601 creation time (full precision, for retention by age). */
  createdAt: string;
  /** Under a running lock or a hold: retention keeps it (docs/decisions.md §19). */
  locked?: boolean;
  /** What its protect wrote to the bank (docs/decisions.md §23), where recorded: a drill's size cap (§24). */
  bankBytes?: number;
}

export interface ProtectionService {
  /** Starts a checkpoint of the plan (status `protecting`); the worker finishes it. */
  protect(req: {
    projectId: string;
    providerId: string;
    planId: string;
    /** e.g. `{created_by: 'operation-engine', trigger_id, scheduled_operation_id}` */
    extraInfo: Record<string, string>;
  }): Promise<{ checkpointId: string }>;
  /** The plan's checkpoints under this provider, newest first. */
  listCheckpoints(req: { projectId: string; providerId: string; planId: string }): Promise<CheckpointSummary[]>;
  /** Starts deleting a checkpoint (status `deleting`); CheckpointLockedError when a lock or hold keeps it. */
  deleteCheckpoint(req: { projectId: string; providerId: string; checkpointId: string }): Promise<void>;
}

/**
 * The checkpoint pre-checks of a restore or a verification (docs/contract.md §8.1,
 * §8.2): it must exist under the provider (else Karbor's reason), belong to
 * the caller unless admin (403, nothing written: docs/decisions.md §8) and be
 * `available`. Undefined when it passes.
 */
export const checkpointProblem = async (
  deps: { checkpoints: { get(id: string): Promise<Checkpoint | undefined> } },
  identity: Identity,
  input: { providerId: string; checkpointId: string },
  now: string,
): Promise<string | undefined> => {
  const checkpoint = await deps.checkpoints.get(input.checkpointId);
  if (!checkpoint || checkpoint.providerId !== input.providerId) return `Checkpoint ${input.checkpointId} could not be found.`;
  if (!identity.isAdmin && checkpoint.projectId !== identity.projectId) throw new ForbiddenError(`Access checkpoint ${input.checkpointId} is not allowed`);
  if (effectiveStatus(checkpoint, now, CHECKPOINT_FAILURES) !== 'available') return `The checkpoint ${input.checkpointId} is not available.`;
  return undefined;
};

/**
 * `extra_info.keys` (docs/decisions.md §27): the bank's key (a KMS key ARN,
 * or `aws-owned` for SSE-S3; absent for the local file bank) and, by
 * resource (`<type>#<id>`), each artifact's key (a KMS key ARN, `aws-owned`,
 * or null: not encrypted).
 */
export interface CheckpointKeys {
  bank?: string;
  resources: Record<string, Record<string, string | null>>;
}

/** The checkpoint store with the worker's half: its job state and the resource graph it records. */
export interface CheckpointRepository extends CheckpointStore {
  jobs: JobStore<Checkpoint>;
  setGraph(id: string, token: string, graph: string): Promise<void>;
  /**
   * A delete took this checkpoint (docs/decisions.md §20): if it was its
   * plan's newest good checkpoint, the plan's last-good time moves back to
   * the newest good one left (or none). One GetItem of the plan's compliance
   * item; only when it names this checkpoint, a newest-first Query of the
   * plan's checkpoints (at most GOOD_SCAN_CAP entries) and one conditional write.
   */
  retractGood(c: Pick<Checkpoint, 'id' | 'planId' | 'projectId'>): Promise<void>;
  /** Conditional on holding the lease: adds Karbor's `copy_status: finished` to a copy's extra info (its job's last step). */
  markCopied(id: string, token: string): Promise<void>;
  /** Conditional on holding the lease: the keys that encrypt the checkpoint's data, as `extra_info.keys` (docs/decisions.md §27). */
  setKeys(id: string, token: string, keys: CheckpointKeys): Promise<void>;
  /**
   * Conditional on holding the lease: keeps the bank manifest's digest on the item, out of reach of a bank writer,
   * and the bytes the checkpoint holds in the bank (its final write adds them to the bank's size, docs/decisions.md §23).
   */
  setManifestDigest(id: string, token: string, digest: string, bytes?: number): Promise<void>;
}
