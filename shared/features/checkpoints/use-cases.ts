import type { Identity } from '../../kernel/identity';
import { InvalidInputError, NotFoundError, ForbiddenError, ServiceError, ConditionLostError, ignoreConditionLost } from '../../kernel/errors';
import { LIFECYCLE_EVENTS, WORK_EVENTS } from '../../events/names';
import { effectiveStatus, errorText } from '../jobs/model';
import type { OperationLog } from '../operation-logs/model';
import type { ListOptions } from '../../kernel/list-options';
import type { PlanSummary } from '../plans/model';
import type { Provider, ProviderCatalog } from '../providers/model';
import { pyJson } from '../../kernel/karbor-text';
import { isUuidLike } from '../../kernel/uuid';
import {
  type CheckpointStatus,
  type Checkpoint,
  CHECKPOINT_FAILURES,
  type CheckpointDataLocks,
  type CheckpointDeps,
  CheckpointLockedError,
  COPY_FINISHED,
  COPY_REPLACEABLE,
  type LockChange,
  lockedReason,
  lockProblem,
  MAX_COPIES_PER_REQUEST,
  MAX_FIELD_BYTES,
  type NewCopy,
  RESETTABLE,
  RESETTABLE_STUCK,
} from './model';
import { MAX_LIMIT } from '../../kernel/list-options';
import { planDestinations, unknownDestination } from '../destinations/model';

const iso = (d: Date) => d.toISOString();
const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000).toISOString();

const findProvider = (providers: ProviderCatalog, id: string): Provider | undefined => providers.all().find((p) => p.id === id);

const checkpointEvent = (c: Checkpoint, status: string, extra: Record<string, unknown> = {}) => ({
  checkpoint_id: c.id,
  project_id: c.projectId,
  provider_id: c.providerId,
  plan_id: c.planId,
  status,
  ...extra,
});

/** The operation log of a checkpoint phase (docs/contract.md §8.3); the scheduler's runs carry their operation id. */
const operationLog = (c: Checkpoint, type: 'protect' | 'delete' | 'copy', status: string, id: string, now: string): OperationLog => ({
  id,
  projectId: c.projectId,
  operationType: type,
  checkpointId: c.id,
  planId: c.planId,
  providerId: c.providerId,
  restoreId: null,
  scheduledOperationId:
    c.extraInfo.created_by === 'operation-engine' && typeof c.extraInfo.scheduled_operation_id === 'string' ? c.extraInfo.scheduled_operation_id : null,
  status,
  startedAt: now,
  endedAt: null,
  errorInfo: null,
  extraInfo: null,
});

/** A new checkpoint of a plan, `protecting`. */
export const newCheckpoint = (plan: PlanSummary, extraInfo: Record<string, unknown>, id: string, now: Date, deadlineSeconds: number): Checkpoint => ({
  id,
  projectId: plan.projectId,
  providerId: plan.providerId,
  planId: plan.id,
  status: 'protecting',
  protectionPlan: {
    id: plan.id,
    name: plan.name,
    provider_id: plan.providerId,
    resources: plan.resources.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name ?? null,
      extra_info: r.extra_info === undefined || r.extra_info === null ? null : pyJson(r.extra_info),
    })),
  },
  parameters: plan.parameters ?? {},
  resourceGraph: null,
  extraInfo,
  createdAt: iso(now),
  deadline: plus(now, deadlineSeconds),
  attempts: 0,
  resourcesStatus: {},
  resourcesReason: {},
});

/**
 * Creates a checkpoint of a plan (protect).
 * 1. find the plan in the caller's project (404);
 * 2. the URL's provider must be the plan's (400, Karbor's text);
 * 3. write the checkpoint, `protecting`;
 * 4. ask the worker (`Checkpoint Requested`); if that fails, remove the
 *    checkpoint again and answer Karbor's "Create checkpoint failed" 400.
 */
export const createCheckpoint = async (
  deps: CheckpointDeps,
  projectId: string,
  providerId: string,
  input: { planId: string; extraInfo?: Record<string, unknown> | null },
): Promise<Checkpoint> => {
  const plan = await deps.plans.getPlan(projectId, input.planId);
  if (!plan) throw new NotFoundError(`Plan ${input.planId} could not be found.`);
  if (plan.providerId !== providerId) {
    throw new InvalidInputError('Invalid plan: The parameter provider_id is not the same as the value in the plan.');
  }
  if (!findProvider(deps.providers, providerId)) {
    throw new InvalidInputError(`Create checkpoint failed: Provider ${providerId} could not be found.`);
  }
  // docs/decisions.md §3: extra-info is honoured (Karbor ignores it); created_by defaults to manual.
  const extraInfo = { created_by: 'manual', ...(input.extraInfo ?? {}) };
  // Never a 500 for an item DynamoDB would refuse (400 KB): the extra info gets a budget of its own.
  if (Buffer.byteLength(pyJson(extraInfo)) > MAX_FIELD_BYTES) {
    throw new InvalidInputError(`Invalid input received: extra_info is larger than ${MAX_FIELD_BYTES} bytes.`);
  }
  const now = deps.clock.now();
  const checkpoint = newCheckpoint(plan, extraInfo, deps.ids.newId(), now, deps.deadlineSeconds);
  const log = operationLog(checkpoint, 'protect', 'protecting', deps.ids.newId(), iso(now));
  checkpoint.operationLogId = log.id;
  await deps.checkpoints.create(checkpoint, log, await deps.quota.checkpointLimit(checkpoint.projectId));
  try {
    await deps.events.publish([
      { detailType: WORK_EVENTS.checkpointRequested, detail: checkpointEvent(checkpoint, 'protecting', { created_by: extraInfo.created_by }) },
    ]);
  } catch (error) {
    await deps.checkpoints.remove(checkpoint.id, 'protecting', log.id);
    throw new InvalidInputError(`Create checkpoint failed: ${errorText(error)}`);
  }
  return checkpoint;
};

/** A status change the checkpoint's current status refuses (a race, or a status the command does not move from): Karbor's 400. */
const answerLost =
  (message: string) =>
  (error: unknown): never => {
    if (error instanceof ConditionLostError) throw new InvalidInputError(message);
    throw error;
  };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const checkDate = (name: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const ok = DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  // Deliberate difference: Karbor answers a malformed date with a 500.
  if (!ok) throw new InvalidInputError(`Invalid input received: ${name} must be a date in the format YYYY-MM-DD.`);
  return value;
};

const requireProvider = (deps: Pick<CheckpointDeps, 'providers'>, providerId: string): Provider => {
  const provider = findProvider(deps.providers, providerId);
  if (!provider) throw new NotFoundError(`Provider ${providerId} could not be found.`);
  return provider;
};

/**
 * Lists a provider's checkpoints (docs/contract.md §5.5): newest first unless the
 * first sort direction is `asc`; `end_date` only counts with `start_date`
 * (and defaults to today); deleted checkpoints are not listed.
 */
export const listCheckpoints = async (
  deps: Pick<CheckpointDeps, 'checkpoints' | 'providers' | 'clock'>,
  identity: Identity,
  providerId: string,
  options: ListOptions,
): Promise<Checkpoint[]> => {
  requireProvider(deps, providerId);
  const first = (k: string) => options.filters[k]?.[0];
  const startDate = checkDate('start_date', first('start_date'));
  const endDate = startDate === undefined ? undefined : (checkDate('end_date', first('end_date')) ?? iso(deps.clock.now()).slice(0, 10));
  // project_id is honoured only with all_tenants (docs/contract.md §5.5).
  const projectId = options.allTenants ? first('project_id') : identity.projectId;
  // A range that ends before it starts holds no checkpoint (Karbor's filter finds none); DynamoDB would refuse the query.
  if (startDate !== undefined && endDate !== undefined && startDate > endDate) return [];
  let after: Checkpoint | undefined;
  if (options.marker !== undefined) {
    after = isUuidLike(options.marker) ? await deps.checkpoints.get(options.marker) : undefined;
    // Another project's checkpoint is as unknown as a missing one: the answer must not tell that it exists.
    const foreign = after !== undefined && projectId !== undefined && after.projectId !== projectId;
    if (!after || after.providerId !== providerId || foreign) throw new NotFoundError(`Checkpoint ${options.marker} could not be found.`);
  }
  return deps.checkpoints.list({
    providerId,
    projectId,
    planIds: options.filters.plan_id,
    startDate,
    endDate,
    dir: options.sort[0]?.dir === 'asc' ? 'asc' : 'desc',
    limit: options.limit,
    after,
  });
};

/**
 * Finds a checkpoint for show/delete/reset: ids uuid-like (400), provider
 * and checkpoint known (404; a checkpoint of another provider is 404,
 * docs/decisions.md §9), a member only sees its project's (403, Karbor's text).
 */
export const findCheckpoint = async (
  deps: Pick<CheckpointDeps, 'checkpoints' | 'providers'>,
  identity: Identity,
  providerId: string,
  checkpointId: string,
): Promise<Checkpoint> => {
  if (!isUuidLike(providerId)) throw new InvalidInputError('Invalid provider id provided.');
  if (!isUuidLike(checkpointId)) throw new InvalidInputError('Invalid checkpoint id provided.');
  requireProvider(deps, providerId);
  const checkpoint = await deps.checkpoints.get(checkpointId);
  if (!checkpoint || checkpoint.providerId !== providerId) throw new NotFoundError(`Checkpoint ${checkpointId} could not be found.`);
  if (!identity.isAdmin && checkpoint.projectId !== identity.projectId) {
    throw new ForbiddenError(`Access checkpoint ${checkpointId} is not allowed`);
  }
  return checkpoint;
};

/**
 * Starts deleting a checkpoint.
 * 1. find it (show's checks);
 * 2. `available`/`error` -> `deleting` in one conditional write (anything
 *    else: 400 with Karbor's text; Karbor answers 500, docs/decisions.md §7);
 * 3. ask the worker (`Checkpoint Delete Requested`); if that fails, put the
 *    status back and report the failure.
 * A running lock or a legal hold refuses it (409, docs/decisions.md §19), in
 * step 1 from the read and in step 2 from the write's condition.
 */
export const deleteCheckpoint = async (deps: CheckpointDeps, identity: Identity, providerId: string, checkpointId: string): Promise<void> => {
  const found = await findCheckpoint(deps, identity, providerId, checkpointId);
  const now = deps.clock.now();
  const locked = lockedReason(found, iso(now));
  if (locked) throw new CheckpointLockedError(locked);
  // docs/contract.md §13.2 #4: Karbor logs deletes as `protect`; we use `delete` (docs/decisions.md §3).
  const log = operationLog(found, 'delete', 'deleting', deps.ids.newId(), iso(now));
  const moved = await deps.checkpoints
    .transition(checkpointId, {
      from: ['available', 'error'],
      to: 'deleting',
      now: iso(now),
      deadline: plus(now, deps.deadlineSeconds),
      // The store records the new log as the checkpoint's current one.
      log: { put: log },
      // As Karbor, a checkpoint being deleted no longer counts against the quota.
      quotaDelta: -1,
      // docs/decisions.md §19: the write itself refuses a lock or hold set since the read.
      unlockedAt: iso(now),
    })
    .catch(async (error) => {
      const current = error instanceof ConditionLostError ? await deps.checkpoints.get(checkpointId) : undefined;
      const reason = current && lockedReason(current, iso(now));
      if (reason) throw new CheckpointLockedError(reason);
      return answerLost(`The checkpoint ${checkpointId} can not be deleted.`)(error);
    });
  const previous = effectiveStatus(found, iso(now), CHECKPOINT_FAILURES);
  try {
    await deps.events.publish([
      { detailType: WORK_EVENTS.checkpointDeleteRequested, detail: checkpointEvent(moved, 'deleting', { previous_status: previous }) },
    ]);
  } catch (error) {
    const reason = `Delete checkpoint failed: ${errorText(error)}`;
    // Back to where it was; a checkpoint that moved on meanwhile (a worker took the request after all) stays.
    await deps.checkpoints
      .transition(checkpointId, {
        from: ['deleting'],
        to: previous as CheckpointStatus,
        now: iso(now),
        log: { update: { id: log.id, changes: { status: 'error-deleting', endedAt: iso(now), errorInfo: reason } } },
        quotaDelta: 1,
      })
      .catch(ignoreConditionLost);
    throw new ServiceError(reason);
  }
};

/**
 * Sets a checkpoint's status to `available` or `error` (admin). Karbor
 * accepts only RESETTABLE statuses; here also a running job's and a failed
 * delete's (RESETTABLE_STUCK, docs/decisions.md), so a stuck checkpoint can
 * always be freed. The status change drops the job's lease: a worker still
 * running the job fails its next write and stops. The job's operation log
 * ends with the reset, and a checkpoint taken back from a delete (which had
 * released its quota slot) counts against the quota again.
 */
export const resetCheckpointState = async (
  deps: CheckpointDeps,
  identity: Identity,
  providerId: string,
  checkpointId: string,
  state: 'available' | 'error',
): Promise<void> => {
  const found = await findCheckpoint(deps, identity, providerId, checkpointId);
  const now = iso(deps.clock.now());
  const stuck = (RESETTABLE_STUCK as readonly string[]).includes(found.status) ? found.status : undefined;
  const reason = `The state was reset to ${state} by an admin.`;
  // A copy being made (Karbor's resettable `wait_copying`/`copying`) ends its `copy` log like a stuck protect.
  const copying = found.status === 'wait_copying' || found.status === 'copying';
  const endLog =
    found.operationLogId !== undefined && (stuck === 'protecting' || stuck === 'deleting' || copying)
      ? { id: found.operationLogId, changes: { status: stuck === 'deleting' ? 'error-deleting' : state, endedAt: now, errorInfo: reason } }
      : undefined;
  const moved = await deps.checkpoints
    .transition(
      checkpointId,
      stuck === undefined
        ? // Only from the status just read when the log's end goes with it.
          { from: copying ? [found.status] : RESETTABLE, to: state, now, ...(copying && endLog ? { log: { update: endLog } } : {}) }
        : {
            // Only from the status just read: the log and quota changes are this status's.
            from: [stuck],
            to: state,
            now,
            ...(endLog ? { log: { update: endLog } } : {}),
            ...(stuck === 'protecting' ? {} : { quotaDelta: 1 }),
          },
    )
    .catch(answerLost(`The checkpoint ${checkpointId} can not be reset.`));
  const previous = effectiveStatus(found, now, CHECKPOINT_FAILURES);
  // The reset is done; an integration missing its event must not turn it into a failure.
  await deps.events
    .publish([{ detailType: LIFECYCLE_EVENTS.checkpointStateReset, detail: checkpointEvent(moved, state, { previous_status: previous }) }])
    .catch((error) => deps.log({ level: 'ERROR', message: 'publishing a lifecycle event failed', error: errorText(error) }));
};

/** Every listed checkpoint of a plan in one project under a provider, newest first, page by page (retention and copy must see the oldest too). */
export const planCheckpoints = async (
  deps: Pick<CheckpointDeps, 'checkpoints'>,
  req: { projectId: string; providerId: string; planId: string },
): Promise<Checkpoint[]> => {
  const items: Checkpoint[] = [];
  for (let after: Checkpoint | undefined; ; after = items[items.length - 1]) {
    const page = await deps.checkpoints.list({
      providerId: req.providerId,
      projectId: req.projectId,
      planIds: [req.planId],
      dir: 'desc',
      limit: MAX_LIMIT,
      after,
    });
    items.push(...page);
    if (page.length < MAX_LIMIT) return items;
  }
};

/** A source checkpoint and the copy made of it, as Karbor's copy answer lists them. */
export interface CopyPair {
  checkpoint_protect_id: string;
  checkpoint_copy_id: string;
}

export interface CopyResult {
  projectId: string;
  providerId: string;
  planId: string;
  pairs: CopyPair[];
  parameters: Record<string, Record<string, string> | null>;
}

/** A new copy of an available checkpoint: `wait_copying`, the source's plan and graph, the copy's parameters (docs/decisions.md §15). */
const newCopy = (
  source: Checkpoint,
  destination: string,
  parameters: Checkpoint['parameters'],
  id: string,
  now: Date,
  deadlineSeconds: number,
): Checkpoint => ({
  id,
  projectId: source.projectId,
  // A copy is its source provider's checkpoint wherever its data goes (docs/decisions.md §9, §25).
  providerId: source.providerId,
  planId: source.planId,
  status: 'wait_copying',
  protectionPlan: source.protectionPlan,
  parameters,
  resourceGraph: source.resourceGraph,
  // Karbor writes `{}`; ours names the source and destination (copy_status joins them when it finishes).
  extraInfo: { source_checkpoint_id: source.id, destination },
  createdAt: iso(now),
  deadline: plus(now, deadlineSeconds),
  attempts: 0,
  resourcesStatus: {},
  resourcesReason: {},
});

/**
 * Copies a plan's checkpoints (Karbor's `checkpoints/action` copy, docs/contract.md §5.10).
 * 1. the provider id must be uuid-like, the plan the caller's (404) and of
 *    this provider, and the plan must have a listed checkpoint (400s, Karbor's texts);
 * 2. the destinations: the plan's, else its provider's default (docs/decisions.md
 *    §25), each still configured (400 naming one that is not);
 * 3. the sources: `available` checkpoints that are not finished copies, and
 *    (docs/decisions.md §15) not already copied to that destination unless
 *    that copy failed or was deleted; the oldest MAX_COPIES_PER_REQUEST
 *    (source, destination) pairs, each source to every destination in turn;
 * 4. write every copy (`wait_copying`), its `copy` operation log, its guard
 *    and the quota count in one transaction (413 over quota: nothing written);
 * 5. ask the worker for each copy (`Checkpoint Copy Requested`); a request
 *    not sent is left to the sweep (the copies are on the running-job index).
 */
export const copyCheckpoints = async (
  deps: CheckpointDeps,
  projectId: string,
  providerId: string,
  input: { planId: string; parameters?: Checkpoint['parameters'] },
): Promise<CopyResult> => {
  if (!isUuidLike(providerId)) throw new InvalidInputError('Invalid input received: Invalid provider id provided.');
  const plan = await deps.plans.getPlan(projectId, input.planId);
  if (!plan) throw new NotFoundError(`Plan ${input.planId} could not be found.`);
  if (plan.providerId !== providerId) throw new InvalidInputError('Invalid input received: The provider id is not the same as the value in the plan.');
  const listed = await planCheckpoints(deps, { projectId, providerId, planId: plan.id });
  if (listed.length === 0) throw new InvalidInputError('Invalid input received: The plan has not been protected.');
  const provider = deps.providers.all().find((p) => p.id === providerId);
  const destinations = planDestinations(deps.destinations, { id: providerId, plugins: provider?.plugins ?? {} }, plan.destinations);
  // The provider itself is always a destination; a named one must still be configured (an operator may have removed it).
  const gone = unknownDestination(
    deps.destinations,
    destinations.filter((d) => d !== providerId),
  );
  if (gone !== undefined) throw new InvalidInputError(`Invalid input received: The destination ${gone} is not configured.`);
  const now = deps.clock.now();
  const available = listed.filter(
    (c) => effectiveStatus(c, iso(now), CHECKPOINT_FAILURES) === 'available' && c.extraInfo.copy_status !== COPY_FINISHED.copy_status,
  );
  const guards = new Map<string, Map<string, string>>();
  for (const destination of destinations) {
    guards.set(
      destination,
      await deps.checkpoints.copiesOf(
        available.map((c) => c.id),
        destination,
      ),
    );
  }
  const byId = new Map(listed.map((c) => [c.id, c]));
  const sources: { source: Checkpoint; destination: string; replaces?: string }[] = [];
  // Oldest first, so repeated calls work through a long history in order.
  for (const source of [...available].reverse()) {
    for (const destination of destinations) {
      const earlier = guards.get(destination)?.get(source.id);
      if (earlier === undefined) {
        sources.push({ source, destination });
        continue;
      }
      // A deleted copy is no longer listed: read it by id.
      const copy = byId.get(earlier) ?? (await deps.checkpoints.get(earlier));
      if (!copy || COPY_REPLACEABLE.includes(effectiveStatus(copy, iso(now), CHECKPOINT_FAILURES))) sources.push({ source, destination, replaces: earlier });
    }
  }
  const parameters = { ...(plan.parameters ?? {}), ...(input.parameters ?? {}) };
  const copies: NewCopy[] = sources.slice(0, MAX_COPIES_PER_REQUEST).map(({ source, destination, replaces }) => {
    const copy = newCopy(source, destination, parameters, deps.ids.newId(), now, deps.deadlineSeconds);
    const log = operationLog(copy, 'copy', 'wait_copying', deps.ids.newId(), iso(now));
    copy.operationLogId = log.id;
    return { copy, log, sourceId: source.id, destination, ...(replaces === undefined ? {} : { replaces }) };
  });
  await deps.checkpoints.createCopies(copies, copies.length === 0 ? -1 : await deps.quota.checkpointLimit(projectId));
  for (let i = 0; i < copies.length; i += 10) {
    const batch = copies.slice(i, i + 10).map(({ copy, sourceId, destination }) => ({
      detailType: WORK_EVENTS.checkpointCopyRequested,
      detail: checkpointEvent(copy, 'wait_copying', { source_checkpoint_id: sourceId, destination }),
    }));
    // The copies stay: the sweep delivers their work requests again (docs/decisions.md §15).
    await deps.events.publish(batch).catch((error) => deps.log({ level: 'ERROR', message: 'requesting checkpoint copies failed', error: errorText(error) }));
  }
  return {
    projectId,
    providerId: plan.providerId,
    planId: plan.id,
    pairs: copies.map(({ copy, sourceId }) => ({ checkpoint_protect_id: sourceId, checkpoint_copy_id: copy.id })),
    parameters: input.parameters ?? {},
  };
};

/** The furthest a lock may reach: S3 Object Lock takes any date, a bound keeps typos (year 20270) out. */
const MAX_LOCK_YEARS = 100;

/**
 * Sets, extends or lifts a checkpoint's lock and sets or releases its legal
 * hold (docs/decisions.md §19).
 * 1. find it (show's checks) and require `available` (400);
 * 2. check `until`: later than now, at most MAX_LOCK_YEARS ahead (400);
 * 3. the rules (`lockProblem`): a member only adds protection (403 for
 *    less), a running compliance lock is only extended (409);
 * 4. write it, conditional on the same rules; a change that lost its race
 *    is judged again on what won (or 409);
 * 5. put the same lock on the checkpoint's data. The item is written first:
 *    it is what the API enforces, and a failure here (500, the lock on the
 *    item stays) is repeated by sending the same request again.
 */
export const lockCheckpoint = async (
  deps: Pick<CheckpointDeps, 'checkpoints' | 'providers' | 'clock'> & { dataLocks: CheckpointDataLocks },
  identity: Identity,
  providerId: string,
  checkpointId: string,
  change: LockChange,
): Promise<Checkpoint> => {
  const found = await findCheckpoint(deps, identity, providerId, checkpointId);
  const nowDate = deps.clock.now();
  const now = iso(nowDate);
  const cannot = `The checkpoint ${checkpointId} can not be locked.`;
  if (effectiveStatus(found, now, CHECKPOINT_FAILURES) !== 'available') throw new InvalidInputError(cannot);
  let lock = change.lock;
  if (lock) {
    const until = Date.parse(lock.until);
    const latest = new Date(nowDate).setUTCFullYear(nowDate.getUTCFullYear() + MAX_LOCK_YEARS);
    if (Number.isNaN(until) || until <= nowDate.getTime() || until > latest) {
      throw new InvalidInputError(`Invalid input received: lock.until must be a time after now and at most ${MAX_LOCK_YEARS} years ahead.`);
    }
    // One form for every stored time, so the store's conditions compare them as strings.
    lock = { mode: lock.mode, until: new Date(until).toISOString() };
  }
  const request = { ...(lock === undefined ? {} : { lock }), ...(change.legalHold === undefined ? {} : { legalHold: change.legalHold }) };
  const problem = lockProblem(found, request, identity.isAdmin, now);
  if (problem) throw problem;
  const locked = await deps.checkpoints.setLock(checkpointId, { ...request, now, mayShorten: identity.isAdmin }).catch(async (error) => {
    if (!(error instanceof ConditionLostError)) throw error;
    const current = await deps.checkpoints.get(checkpointId);
    if (!current || effectiveStatus(current, now, CHECKPOINT_FAILURES) !== 'available') throw new InvalidInputError(cannot);
    throw lockProblem(current, request, identity.isAdmin, now) ?? error;
  });
  try {
    await deps.dataLocks.apply(checkpointId, request, locked);
  } catch (error) {
    throw new ServiceError(`The lock of checkpoint ${checkpointId} is recorded, but its data could not be locked: ${errorText(error)}`);
  }
  return locked;
};
