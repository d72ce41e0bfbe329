import type { Identity } from '../../kernel/identity';
import { InvalidInputError, NotFoundError } from '../../kernel/errors';
import { type ListOptions, storeListQuery } from '../../kernel/list-options';
import { isUuidLike } from '../../kernel/uuid';
import type { OperationLog, OperationLogStore } from './model';

/** Columns an admin may filter on besides the member filters (docs/contract.md §8.3). */

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
  // Deliberate difference: Karbor's text is the unformatted template (docs/contract.md §13.2 #15).
  if (!log || (log.projectId !== identity.projectId && !identity.isAdmin)) {
    throw new NotFoundError(`Operation log ${id} could not be found.`);
  }
  return log;
};

/** Lists logs newest first (exact-match filters; a comma list is any-of). */
export const listOperationLogs = async (deps: { logs: OperationLogStore }, identity: Identity, options: ListOptions): Promise<OperationLog[]> => {
  const filters = Object.entries(options.filters);
  const keep = (log: OperationLog) => filters.every(([k, values]) => values.includes(FIELD[k]?.(log) ?? 'None'));
  return deps.logs.list({ ...storeListQuery(identity, options, keep), offset: options.offset });
};
