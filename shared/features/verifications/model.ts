import type { Checkpoint } from '../checkpoints/model';
import type { Identity } from '../../kernel/identity';
import type { ListRules } from '../../kernel/list-options';
import type { LogUpdate, OperationLog } from '../operation-logs/model';
import type { RecordQuery } from '../../kernel/records';
import type { ProviderCatalog } from '../providers/model';
import type { RestoreParameters } from '../restores/model';
import type { Clock, EventPublisher, IdGen, Log } from '../../kernel/ports';
import type { JobState, JobStore } from '../jobs/model';

/**
 * A verification (docs/contract.md §8.2): Karbor's `verifications` row plus
 * the worker's job state (the protection worker runs it like a restore).
 */
export interface Verification extends JobState {
  id: string;
  projectId: string;
  providerId: string;
  checkpointId: string;
  parameters: RestoreParameters;
  status: 'in_progress' | 'success' | 'fail';
  createdAt: string;
  errorReason?: string;
  /** Set when a `verify` scheduled operation started it (a drill, docs/decisions.md §24): its plan learns of its success. */
  drill?: { planId: string; scheduledOperationId: string };
}

/** What a drill asks of verifications (./deps.ts verificationStarter): one started as the API would, under a given id. */
export interface VerificationStarter {
  start(
    identity: Identity,
    input: { id: string; providerId: string; checkpointId: string; parameters: RestoreParameters; drill: NonNullable<Verification['drill']> },
  ): Promise<Verification>;
  /** The stored verifications of these ids (missing ones absent), with the effective status at `now` (a run past its deadline reads `fail`). */
  statuses(ids: readonly string[], now: string): Promise<Map<string, Verification['status']>>;
}

export const VERIFICATION_FAILURES: Record<string, string> = { in_progress: 'fail' };

export type VerificationQuery = RecordQuery<Verification>;

export interface VerificationStore {
  /** Writes the verification and its operation log together. */
  create(v: Verification, log?: OperationLog): Promise<void>;
  get(id: string): Promise<Verification | undefined>;
  list(q: VerificationQuery): Promise<Verification[]>;
  /** Conditional: only an `in_progress` verification becomes `fail` this way (ConditionLostError otherwise). */
  fail(id: string, reason: string, log?: LogUpdate): Promise<void>;
}

/** The verification store with the worker's half: its job state. */
export interface VerificationRepository extends VerificationStore {
  jobs: JobStore<Verification>;
}

export interface VerificationDeps {
  verifications: VerificationStore;
  checkpoints: { get(id: string): Promise<Checkpoint | undefined> };
  providers: ProviderCatalog;
  events: EventPublisher;
  clock: Clock;
  ids: IdGen;
  log: Log;
  deadlineSeconds: number;
}

export const verificationListRules: ListRules = {
  sortKeys: ['created_at', 'id'],
  memberFilters: ['status'],
  adminFilters: ['id', 'project_id', 'provider_id', 'checkpoint_id'],
  allTenants: true,
};
