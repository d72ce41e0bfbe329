import type { Identity } from '../../kernel/identity';
import { InvalidInputError, NotFoundError } from '../../kernel/errors';
import { type ListOptions, type RegexCompiler, storeListQuery } from '../../kernel/list-options';
import { findOwned, type ResourceNames } from '../../kernel/owned';
import { isUuidLike } from '../../kernel/uuid';
import { pyStr } from '../../kernel/karbor-text';
import type { LoadCalendar, Trigger, TriggerStore } from '../triggers/model';
import type { Clock } from '../../kernel/ports';
import type { ScheduleExpectation } from '../plans/model';
import { DRILL_OPERATION_TYPE, drillDefinitionProblem } from '../drills/model';
import { expectationFor, OPERATION_TYPES, type ScheduledOperation, type ScheduledOperationDeps, type CreateOperationInput } from './model';

/**
 * Creates a scheduled operation (docs/contract.md §9.3, docs/decisions.md §7).
 * 1. name, type and definition must be given;
 * 2. the trigger exists (404) and is the caller project's (400);
 * 3. the type is protect/retention_protect, or verify (a drill, our
 *    extension: docs/decisions.md §24, whose `depth` is basic or full); the
 *    definition names uuid-like provider and plan;
 * 4. the plan exists in the project (404, Karbor: 500) and uses that provider (400);
 * 5. one transaction stores the operation, binds it to its trigger and plan,
 *    and puts what its trigger leads the plan to expect on the plan's
 *    compliance item (docs/decisions.md §20; none once the trigger has ended).
 */
export const createScheduledOperation = async (deps: ScheduledOperationDeps, identity: Identity, input: CreateOperationInput): Promise<ScheduledOperation> => {
  if (!input.name || !input.operation_type || Object.keys(input.operation_definition).length === 0) {
    throw new InvalidInputError('Operation name or type or definition is not provided.');
  }
  if (!isUuidLike(input.trigger_id)) throw new InvalidInputError('Invalid trigger id provided.');
  const trigger = await deps.triggers.get(input.trigger_id);
  if (!trigger) throw new NotFoundError(`Trigger ${input.trigger_id} could not be found.`);
  // Karbor refuses another project's trigger with 400, admins included.
  if (trigger.projectId !== identity.projectId) throw new InvalidInputError('Invalid trigger id provided.');
  if (!(OPERATION_TYPES as readonly string[]).includes(input.operation_type)) {
    throw new InvalidInputError(`Invalid operation type: ${input.operation_type}`);
  }
  const definition = Object.fromEntries(Object.entries(input.operation_definition).map(([k, v]) => [k, pyStr(v)]));
  if (!isUuidLike(definition.provider_id)) throw new InvalidInputError('Invalid operation definition, reason:Provider_id is invalid');
  if (!isUuidLike(definition.plan_id)) throw new InvalidInputError('Invalid operation definition, reason:Plan_id is invalid');
  // A drill's own key (docs/decisions.md §24): `depth`, basic or full.
  const drillProblem = input.operation_type === DRILL_OPERATION_TYPE ? drillDefinitionProblem(definition) : undefined;
  if (drillProblem) throw new InvalidInputError(drillProblem);
  const plan = await deps.plans.getPlan(identity.projectId, definition.plan_id);
  // Deliberate difference: Karbor answers an unknown plan with a 500 (docs/decisions.md §7).
  if (!plan || plan.projectId !== identity.projectId) throw new NotFoundError(`Plan ${definition.plan_id} could not be found.`);
  if (plan.providerId !== definition.provider_id) {
    throw new InvalidInputError('Invalid operation definition, reason:Provider_id is conflict');
  }
  const op: ScheduledOperation = {
    id: deps.ids.newId(),
    projectId: identity.projectId,
    userId: identity.userId,
    name: input.name,
    description: input.description ?? null,
    operationType: input.operation_type,
    triggerId: input.trigger_id,
    operationDefinition: definition,
    enabled: true,
    createdAt: deps.clock.now().toISOString(),
    lastRun: null,
  };
  await deps.operations.create(op, await expectationOf(deps, op, trigger), trigger.scheduledFrom);
  return op;
};

/** What an operation on this trigger leads its plan to expect from now (docs/decisions.md §20); undefined once the trigger has ended. */
const expectationOf = async (
  deps: Pick<ScheduledOperationDeps, 'calendar' | 'clock'>,
  op: ScheduledOperation,
  trigger: Trigger,
): Promise<ScheduleExpectation | undefined> => expectationFor(op, trigger.id, (await deps.calendar()).expectedGap(trigger, deps.clock.now()));

const OPERATION_NAMES: ResourceNames = { idName: 'operation', name: 'Scheduled Operation' };

/** Loads an operation the caller may act on: 400 / 404 / 403 naming the policy. */
export const findScheduledOperation = async (
  deps: Pick<ScheduledOperationDeps, 'operations'>,
  identity: Identity,
  id: string,
  policy: string,
): Promise<ScheduledOperation> => findOwned((i) => deps.operations.get(i), OPERATION_NAMES, identity, id, policy);

/** Deletes an operation and unbinds it from its trigger and plan, in one transaction. */
export const deleteScheduledOperation = async (deps: Pick<ScheduledOperationDeps, 'operations'>, identity: Identity, id: string): Promise<void> => {
  const op = await findScheduledOperation(deps, identity, id, 'scheduled_operation:delete');
  await deps.operations.delete(op);
};

/** Lists scheduled operations; each comma-separated regex filter value is its own pattern (any-of). */
export const listScheduledOperations = async (
  deps: Pick<ScheduledOperationDeps, 'operations'>,
  identity: Identity,
  options: ListOptions,
  compile: RegexCompiler,
): Promise<ScheduledOperation[]> => {
  const f = options.filters;
  // Compiled once, before the read: a pattern RE2 cannot run is a 400 at once.
  const name = f.name?.map((p) => compile('name', p));
  const definition = f.operation_definition?.map((p) => compile('operation_definition', p));
  const keep = (op: ScheduledOperation) =>
    (!name || name.some((m) => m(op.name))) &&
    (!f.operation_type || f.operation_type.includes(op.operationType)) &&
    (!f.trigger_id || f.trigger_id.includes(op.triggerId)) &&
    (!definition || definition.some((m) => m(JSON.stringify(op.operationDefinition))));
  return deps.operations.list(storeListQuery(identity, options, keep));
};

/** An operation with its trigger (undefined if gone), for the view's next_run. */
export interface OperationWithTrigger {
  op: ScheduledOperation;
  trigger: Trigger | undefined;
  /** The trigger's next run (our `next_run` extension); undefined once it has ended, or without a trigger. */
  nextRun: Date | undefined;
}

/** Pairs each operation with its trigger: one read per distinct trigger. */
export const withTriggers = async (
  deps: { triggers: Pick<TriggerStore, 'get'>; calendar: LoadCalendar; clock: Clock },
  ops: ScheduledOperation[],
): Promise<OperationWithTrigger[]> => {
  const ids = [...new Set(ops.map((op) => op.triggerId))];
  const triggers = new Map(await Promise.all(ids.map(async (id) => [id, await deps.triggers.get(id)] as const)));
  // The calendar libraries load only when there is a next run to compute (not for an empty page).
  const calendar = [...triggers.values()].some(Boolean) ? await deps.calendar() : undefined;
  const now = deps.clock.now();
  return ops.map((op) => {
    const trigger = triggers.get(op.triggerId);
    return { op, trigger, nextRun: trigger && calendar ? calendar.nextRuns(trigger, now, 1)[0] : undefined };
  });
};
