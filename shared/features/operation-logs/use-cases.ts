import type { Identity } from '../../kernel/identity';
import { InvalidInputError, NotFoundError } from '../../kernel/errors';
import { ListOptions, ListRules, StoreListQuery, storeListQuery } from '../../kernel/list-options';
import { isUuidLike } from '../../kernel/uuid';
import { karborTime } from '../../kernel/karbor-text';

/**
 * Operation logs (contract §8.3): written by the protection service for
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

/** The operation-log store port (shared/store/operation-logs.ts). */
export interface OperationLogStore {
  put(log: OperationLog): Promise<void>;
  /** Conditional on existence: NotFoundError otherwise. */
  update(id: string, changes: OperationLogChanges): Promise<OperationLog>;
  get(id: string): Promise<OperationLog | undefined>;
  list(query: OperationLogListQuery): Promise<OperationLog[]>;
}

/** Columns an admin may filter on besides the member filters (contract §8.3). */
const ADMIN_FILTERS = ['id', 'operation_type', 'provider_id', 'scheduled_operation_id', 'project_id'];

export const operationLogListRules: ListRules = {
  sortKeys: ['created_at', 'started_at'],
  memberFilters: ['checkpoint_id', 'plan_id', 'restore_id', 'status'],
  adminFilters: ADMIN_FILTERS,
  allTenants: true,
};


/** The view: no project_id although the api-ref lists it (contract §13.1 #13). */
export const operationLogView = (log: OperationLog) => ({
  id: log.id,
  operation_type: log.operationType,
  checkpoint_id: log.checkpointId,
  plan_id: log.planId,
  provider_id: log.providerId,
  restore_id: log.restoreId,
  scheduled_operation_id: log.scheduledOperationId,
  status: log.status,
  started_at: log.startedAt === null ? null : karborTime(log.startedAt),
  ended_at: log.endedAt === null ? null : karborTime(log.endedAt),
  error_info: log.errorInfo,
  extra_info: log.extraInfo,
});

const FIELD: Record<string, (l: OperationLog) => string | null> = {
  id: (l) => l.id,
  checkpoint_id: (l) => l.checkpointId,
  plan_id: (l) => l.planId,
  restore_id: (l) => l.restoreId,
  status: (l) => l.status,
  operation_type: (l) => l.operationType,
  provider_id: (l) => l.providerId,
  scheduled_operation_id: (l) => l.scheduledOperationId,
  project_id: (l) => l.projectId,
};

/** Finds a log: 400 not uuid-like; 404 unknown or another project's for a member (Karbor hides it). */
export const showOperationLog = async (deps: { logs: OperationLogStore }, identity: Identity, id: string): Promise<OperationLog> => {
  if (!isUuidLike(id)) throw new InvalidInputError('Invalid operation log id provided.');
  const log = await deps.logs.get(id);
  // Deliberate difference: Karbor's text is the unformatted template (contract §13.2 #15).
  if (!log || (log.projectId !== identity.projectId && !identity.isAdmin)) {
    throw new NotFoundError(`Operation log ${id} could not be found.`);
  }
  return log;
};

/** Lists logs newest first (exact-match filters; a comma list is any-of). */
export const listOperationLogs = async (
  deps: { logs: OperationLogStore },
  identity: Identity,
  options: ListOptions,
): Promise<OperationLog[]> => {
  const filters = Object.entries(options.filters);
  const keep = (log: OperationLog) => filters.every(([k, values]) => values.includes(FIELD[k]?.(log) ?? 'None'));
  return deps.logs.list({ ...storeListQuery(identity, options, keep), offset: options.offset });
};
