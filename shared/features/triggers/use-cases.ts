import { InvalidInputError } from '../../kernel/errors';
import type { Identity } from '../../kernel/identity';
import { type ListOptions, type RegexCompiler, storeListQuery } from '../../kernel/list-options';
import { lazily } from '../../kernel/lazy';
import { findOwned, type ResourceNames } from '../../kernel/owned';
import type { TriggerProperties } from './time-triggers';
import type { TriggerSchedule } from './model';
import type { ExpectationRefresh, Trigger, TriggerDeps, TriggerInput } from './model';
import { expectationFor } from '../scheduled-operations/model';

/** Karbor coerces property values to strings (window 3600 -> "3600"). */
const stringProps = (props: Record<string, string | number>): TriggerProperties => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)]));

/** The calendar code (./calendar.ts), imported by the first request that validates, schedules or shows a trigger. */
export const loadCalendar = lazily(() => import('./calendar'));

const TRIGGER_NAMES: ResourceNames = { idName: 'trigger', name: 'Trigger' };

/**
 * Loads a trigger the caller may act on: uuid-like (400), existing (404),
 * own project or admin (403 naming the policy, as Karbor's trigger controller).
 */
export const findTrigger = async (deps: Pick<TriggerDeps, 'triggers'>, identity: Identity, id: string, policy: string): Promise<Trigger> =>
  findOwned((i) => deps.triggers.get(i), TRIGGER_NAMES, identity, id, policy);

/**
 * Creates a time trigger.
 * 1. type must be `time`; start_time defaults to now (`YYYY-MM-DD HH:MM:SS`);
 * 2. the properties are validated (format, pattern, times, window, interval);
 * 3. the trigger is stored, then its schedule is put; if that fails the
 *    trigger is removed again, so nothing half-made stays.
 */
export const createTrigger = async (deps: TriggerDeps, identity: Identity, input: Required<TriggerInput>): Promise<Trigger> => {
  if (input.type !== 'time') throw new InvalidInputError(`Invalid trigger type:${input.type}`);
  const calendar = await loadCalendar();
  const now = deps.clock.now();
  const properties = stringProps(input.properties);
  properties.start_time ??= calendar.formatKarborTime(now);
  const trigger: Trigger = {
    id: deps.ids.newId(),
    projectId: identity.projectId,
    name: input.name,
    type: input.type,
    properties,
    createdAt: now.toISOString(),
    scheduledFrom: now.toISOString(),
    operationCount: 0,
  };
  const schedule = calendar.validatedSchedule(trigger, deps);
  await deps.triggers.create(trigger);
  try {
    await deps.scheduler.put(schedule);
  } catch (error) {
    await deps.triggers.delete(trigger.id);
    throw error;
  }
  return trigger;
};

/**
 * Updates a trigger.
 * 1. find it (400/404/403);
 * 2. non-empty properties replace the whole map: start_time is required, and
 *    the new map is validated like on create;
 * 3. the stored trigger changes first, then its schedule; a failed schedule
 *    change puts the old properties back. A property change rewrites, in the
 *    trigger's own transaction, what its operations lead their plans to
 *    expect (docs/decisions.md §20), and the roll-back writes it back.
 * `type` is accepted and ignored; empty input changes nothing.
 */
export const updateTrigger = async (deps: TriggerDeps, identity: Identity, id: string, input: TriggerInput): Promise<Trigger> => {
  const trigger = await findTrigger(deps, identity, id, 'trigger:update');
  const changes: Partial<Pick<Trigger, 'name' | 'properties' | 'scheduledFrom'>> = {};
  if (input.name !== undefined && input.name !== '') changes.name = input.name;
  let schedule: TriggerSchedule | undefined;
  if (input.properties !== undefined && Object.keys(input.properties).length > 0) {
    const properties = stringProps(input.properties);
    if (properties.start_time === undefined || properties.start_time === '') {
      throw new InvalidInputError('start_time should be supplied');
    }
    if (JSON.stringify(properties) !== JSON.stringify(trigger.properties)) {
      schedule = (await loadCalendar()).validatedSchedule({ ...trigger, properties }, deps);
      changes.properties = properties;
      changes.scheduledFrom = deps.clock.now().toISOString();
    }
  }
  if (Object.keys(changes).length === 0) return trigger;
  // A property change is conditional on the properties read here, so two concurrent updates never interleave their writes.
  const updated = await deps.triggers.update(
    id,
    changes,
    schedule ? trigger.scheduledFrom : undefined,
    schedule && (await expecting({ ...trigger, ...changes }, deps)),
  );
  if (schedule) {
    try {
      await deps.scheduler.put(schedule);
    } catch (error) {
      // Roll back our own write only: a later update that already replaced it stays.
      await deps.triggers
        .update(id, { properties: trigger.properties, scheduledFrom: trigger.scheduledFrom }, changes.scheduledFrom, await expecting(trigger, deps))
        .catch(() => undefined);
      throw error;
    }
    // A concurrent update may have written after us and put its schedule before ours: converge on what is stored.
    const current = await deps.triggers.get(id);
    if (current && current.scheduledFrom !== changes.scheduledFrom) await deps.scheduler.put((await loadCalendar()).validatedSchedule(current, deps));
  }
  return updated;
};

/** What each operation on the trigger with these properties leads its plan to expect from now (docs/decisions.md §20). */
const expecting = async (trigger: Trigger, deps: Pick<TriggerDeps, 'clock'>): Promise<ExpectationRefresh> => {
  const gap = (await loadCalendar()).calendarRules.expectedGap(trigger, deps.clock.now());
  return (op) => expectationFor(op, trigger.id, gap);
};

/**
 * Deletes a trigger: 424 while a scheduled operation uses it (a condition on
 * the trigger's binding item, in the same transaction as the delete), then its
 * schedule goes. A schedule left behind by a failure only fires for a trigger
 * that no longer exists, which the fire-trigger function ignores.
 */
export const deleteTrigger = async (deps: TriggerDeps, identity: Identity, id: string): Promise<void> => {
  await findTrigger(deps, identity, id, 'trigger:delete');
  await deps.triggers.delete(id);
  await deps.scheduler.remove(id);
};

/**
 * Lists triggers: the caller's project, or every project for an admin with
 * all_tenants. Each comma-separated regex filter value is its own pattern
 * (any-of), compiled before the read.
 */
export const listTriggers = async (
  deps: Pick<TriggerDeps, 'triggers'>,
  identity: Identity,
  options: ListOptions,
  compile: RegexCompiler,
): Promise<Trigger[]> => {
  const f = options.filters;
  const name = f.name?.map((p) => compile('name', p));
  const properties = f.properties?.map((p) => compile('properties', p));
  const keep = (t: Trigger) =>
    (!name || name.some((m) => m(t.name))) && (!f.type || f.type.includes(t.type)) && (!properties || properties.some((m) => m(JSON.stringify(t.properties))));
  return deps.triggers.list(storeListQuery(identity, options, keep));
};
