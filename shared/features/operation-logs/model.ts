import type { ListRules, StoreListQuery } from '../../kernel/list-options';

const ADMIN_FILTERS = ['id', 'operation_type', 'provider_id', 'scheduled_operation_id', 'project_id'];

/**
 * Operation logs (docs/contract.md §8.3): written by the protection service for
 * checkpoints, restores, verifications, copies, and by the operation engine
 * for every scheduled run; read through the API only.
 */
export interface OperationLog {
  id: string;
  projectId: string;
  /** protect, restore, delete, verify, copy; the engine's runs: protect / retention_protect. */
  operationType: string;
  checkpointId: string | null;
  planId: string | null;
  providerId: string | null;
  restoreId: string | null;
  scheduledOperationId: string | null;
  status: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string | null;
  errorInfo: string | null;
  extraInfo: string | null;
}

export type OperationLogChanges = Partial<
  Pick<OperationLog, 'status' | 'endedAt' | 'errorInfo' | 'extraInfo' | 'checkpointId' | 'planId' | 'providerId' | 'restoreId'>
>;

/**
 * Newest first unless ascending, `offset` items skipped after the marker.
 * The sort keys (created_at, started_at) are both the start-time order, so
 * the store reads no `sortKey`.
 */
export type OperationLogListQuery = StoreListQuery<OperationLog> & { offset: number };

/** The operation-log store port (shared/features/operation-logs/store.ts). */
export interface OperationLogStore {
  put(log: OperationLog): Promise<void>;
  /** Conditional on existence: NotFoundError otherwise. */
  update(id: string, changes: OperationLogChanges): Promise<OperationLog>;
  get(id: string): Promise<OperationLog | undefined>;
  list(query: OperationLogListQuery): Promise<OperationLog[]>;
}

export const operationLogListRules: ListRules = {
  sortKeys: ['created_at', 'started_at'],
  memberFilters: ['checkpoint_id', 'plan_id', 'restore_id', 'status'],
  adminFilters: ADMIN_FILTERS,
  allTenants: true,
};

/** A log's changes inside another write (a job's final status and its log's, together: ./transact.ts operationLogUpdate). */
export interface LogUpdate {
  id: string;
  changes: OperationLogChanges;
}

/**
 * A time window of job logs, oldest first (reports: shared/features/reports):
 * a project's, or every project's when `projectId` is undefined. Undefined
 * when the window holds more than `cap` logs, so a caller never reads an
 * unbounded window.
 */
export interface OperationLogWindow {
  between(q: { projectId?: string; from: string; to: string; cap: number }): Promise<OperationLog[] | undefined>;
}
