import type { Identity } from '../../kernel/identity';
import { checkpointProblem, MAX_FIELD_BYTES } from '../checkpoints/model';
import { InvalidInputError, ignoreConditionLost } from '../../kernel/errors';
import { LIFECYCLE_EVENTS, WORK_EVENTS } from '../../events/names';
import { errorText } from '../jobs/model';
import type { OperationLog } from '../operation-logs/model';
import type { ListOptions } from '../../kernel/list-options';
import { listRecords, type RecordNames, showRecord } from '../../kernel/records';
import type { Provider } from '../providers/model';
import { parametersProblem } from '../../kernel/parameter-schemas';
import type { RestoreParameters, Restore, RestoreDeps } from './model';

/** Moved to the kernel (checkpoint copies coerce theirs too); still exported here for the restore and verification handlers. */
export { coerceParameters } from '../../kernel/parameter-types';

/** Checks restore parameters against the provider's `restore_schema` (docs/contract.md §8.1 step 3); Karbor's reason, or undefined. */
export const restoreParametersProblem = (provider: Provider, parameters: RestoreParameters): string | undefined =>
  parametersProblem(provider.extendedInfoSchema.restore_schema, parameters, 'restore');

const restoreEvent = (r: Restore, extra: Record<string, unknown> = {}) => ({
  restore_id: r.id,
  project_id: r.projectId,
  provider_id: r.providerId,
  checkpoint_id: r.checkpointId,
  status: r.status,
  ...extra,
});

/**
 * Creates a restore (docs/contract.md §8.1).
 * 1. run the pre-checks in Karbor's order: provider, parameters, checkpoint
 *    exists under that provider, the caller owns it, it is `available`;
 * 2. a foreign checkpoint is 403 and nothing is written (docs/decisions.md §8);
 * 3. any other failure writes the restore as `fail` (200, as Karbor);
 * 4. otherwise write it `in_progress` and ask the worker; if that fails the
 *    restore is marked `fail` with the reason.
 * `restore_auth` is validated by the schema, then dropped: plugins act with
 * the function's own AWS role, so it is never stored, logged or returned.
 */
export const createRestore = async (
  deps: RestoreDeps,
  identity: Identity,
  input: { providerId: string; checkpointId: string; restoreTarget: string | null; parameters: RestoreParameters },
): Promise<Restore> => {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  // Never a 500 for an item DynamoDB would refuse (400 KB).
  if (Buffer.byteLength(JSON.stringify(input.parameters)) > MAX_FIELD_BYTES) {
    throw new InvalidInputError(`Invalid input received: parameters are larger than ${MAX_FIELD_BYTES} bytes.`);
  }
  const provider = deps.providers.all().find((p) => p.id === input.providerId);
  let problem: string | undefined;
  if (!provider) problem = `Provider ${input.providerId} could not be found.`;
  else problem = restoreParametersProblem(provider, input.parameters);
  if (problem === undefined) problem = await checkpointProblem(deps, identity, input, nowIso);
  const restore: Restore = {
    id: deps.ids.newId(),
    projectId: identity.projectId,
    providerId: input.providerId,
    checkpointId: input.checkpointId,
    restoreTarget: input.restoreTarget,
    parameters: input.parameters,
    status: problem === undefined ? 'in_progress' : 'fail',
    createdAt: nowIso,
    deadline: new Date(now.getTime() + deps.deadlineSeconds * 1000).toISOString(),
    attempts: 0,
    resourcesStatus: {},
    resourcesReason: {},
    ...(problem === undefined ? {} : { errorReason: problem }),
  };
  // Karbor logs a restore only once its pre-checks pass (docs/contract.md §8.3).
  const log: OperationLog | undefined =
    problem === undefined
      ? {
          id: deps.ids.newId(),
          projectId: restore.projectId,
          operationType: 'restore',
          checkpointId: restore.checkpointId,
          planId: null,
          providerId: restore.providerId,
          restoreId: restore.id,
          scheduledOperationId: null,
          status: 'in_progress',
          startedAt: nowIso,
          endedAt: null,
          errorInfo: null,
          extraInfo: null,
        }
      : undefined;
  if (log) restore.operationLogId = log.id;
  await deps.restores.create(restore, log);
  if (problem !== undefined) {
    await deps.events
      .publish([{ detailType: LIFECYCLE_EVENTS.restoreFailed, detail: restoreEvent(restore, { reason: problem }) }])
      .catch((error) => deps.log({ level: 'ERROR', message: 'publishing a lifecycle event failed', error: errorText(error) }));
    return restore;
  }
  try {
    await deps.events.publish([{ detailType: WORK_EVENTS.restoreRequested, detail: restoreEvent(restore) }]);
  } catch (error) {
    const reason = `Restore could not be started: ${errorText(error)}`;
    // A restore the worker already took (the event reached it after all) keeps its own outcome.
    await deps.restores.fail(restore.id, reason, { id: log!.id, changes: { status: 'fail', endedAt: nowIso, errorInfo: reason } }).catch(ignoreConditionLost);
    return { ...restore, status: 'fail', errorReason: reason };
  }
  return restore;
};

const RESTORE_NAMES: RecordNames = { idName: 'restore', name: 'Restore' };

/** Shows a restore: uuid-like id (400), known and (for a member) its own (404). */
export const showRestore = (deps: Pick<RestoreDeps, 'restores'>, identity: Identity, id: string): Promise<Restore> =>
  showRecord(deps.restores, RESTORE_NAMES, identity, id);

/** Lists restores newest first (or `asc`), after the marker (404 when unknown), then offset and limit. */
export const listRestores = (deps: Pick<RestoreDeps, 'restores'>, identity: Identity, options: ListOptions): Promise<Restore[]> =>
  listRecords(deps.restores, RESTORE_NAMES, identity, options);
