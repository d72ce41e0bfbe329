import type { Checkpoint } from '../checkpoints/model';
import type { Clock, EventPublisher, IdGen, Log } from '../../kernel/ports';
import type { JobState, JobStore } from '../jobs/model';
import type { LogUpdate, OperationLog } from '../operation-logs/model';
import type { ListRules } from '../../kernel/list-options';
import type { RecordQuery } from '../../kernel/records';
import type { ProviderCatalog } from '../providers/model';

type RestoreStatus = 'in_progress' | 'success' | 'fail';
export type RestoreParameters = Record<string, Record<string, string> | null>;

/** A restore as stored (Karbor's `restores` row plus the worker's job state). `restore_auth` is never kept. */
export interface Restore extends JobState {
  id: string;
  projectId: string;
  providerId: string;
  checkpointId: string;
  restoreTarget: string | null;
  parameters: RestoreParameters;
  status: RestoreStatus;
  createdAt: string;
  /** Why a restore failed (events and logs; Karbor's view has no such field). */
  errorReason?: string;
}

export const RESTORE_FAILURES: Record<string, string> = { in_progress: 'fail' };

export type RestoreQuery = RecordQuery<Restore>;

/** The restore store port (shared/features/restores/store.ts). */
export interface RestoreStore {
  /** Writes the restore and (when it runs) its operation log together. */
  create(r: Restore, log?: OperationLog): Promise<void>;
  get(id: string): Promise<Restore | undefined>;
  list(q: RestoreQuery): Promise<Restore[]>;
  /** Conditional: only an `in_progress` restore becomes `fail` this way (ConditionLostError otherwise). */
  fail(id: string, reason: string, log?: LogUpdate): Promise<void>;
}

export interface RestoreDeps {
  restores: RestoreStore;
  checkpoints: { get(id: string): Promise<Checkpoint | undefined> };
  providers: ProviderCatalog;
  events: EventPublisher;
  clock: Clock;
  ids: IdGen;
  /** Where a failure that must not fail the request is told (a lifecycle event not published). */
  log: Log;
  deadlineSeconds: number;
}

export const restoreListRules: ListRules = {
  sortKeys: ['created_at', 'id'],
  memberFilters: ['status'],
  // Admins may filter on the restore's columns (docs/decisions.md §5: values are strings).
  adminFilters: ['id', 'project_id', 'provider_id', 'checkpoint_id', 'restore_target'],
  allTenants: true,
};

/** The restore store with the worker's half: its job state. */
export interface RestoreRepository extends RestoreStore {
  jobs: JobStore<Restore>;
}
