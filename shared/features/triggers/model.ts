import type { ListRules, StoreListQuery } from '../../kernel/list-options';
import type { TimeSchedule, TriggerLimits, TriggerProperties } from './time-triggers';

export type { TimeSchedule, TriggerLimits };
import type { Clock, IdGen } from '../../kernel/ports';
import type { ScheduleExpectation } from '../plans/model';
/**
 * The trigger-schedule port: whatever makes time pass for a trigger (an
 * EventBridge rule, an EventBridge Scheduler schedule, the local scheduler).
 * Each adapter fires the fire-trigger function with a FireTriggerPayload.
 */

/** What the fire-trigger function receives (the rule target's input transformer output). */
export interface FireTriggerPayload {
  trigger_id: string;
  project_id: string;
  /** The event's scheduled time, ISO 8601 UTC (`2026-11-25T12:00:00Z`). */
  time: string;
}

/** One trigger's schedule, as the adapters need it. */
export interface TriggerSchedule {
  triggerId: string;
  projectId: string;
  /** EventBridge `cron(...)` expression (see shared/features/triggers/eventbridge-cron.ts). */
  expression: string;
  /** The trigger's window in seconds (Scheduler: flexible time window). */
  windowSeconds: number;
  start: Date;
  end?: Date;
}

export interface TriggerScheduler {
  /** Creates or replaces the schedule of a trigger. */
  put(schedule: TriggerSchedule): Promise<void>;
  /** Removes the schedule of a trigger; removing an unknown one is not an error. */
  remove(triggerId: string): Promise<void>;
}

/** The name of a trigger's rule or schedule: the stack's prefix (`<stack>-trigger-`, which it lets invoke fire-trigger) and the id. */
export const scheduleName = (prefix: string, triggerId: string): string => `${prefix}${triggerId}`;

/** A stored trigger (Karbor's `triggers` row). */
export interface Trigger {
  id: string;
  projectId: string;
  name: string;
  type: string;
  properties: TriggerProperties;
  /** ISO 8601. */
  createdAt: string;
  /** When the current properties took effect: earlier occurrences never fire (Karbor computes the first run after now). */
  scheduledFrom: string;
  /** Scheduled operations of schemaVersion 1 bound to it (newer ones are on its binding item, scheduled-operations/transact.ts). */
  operationCount: number;
}

/** Newest first unless ascending; `sortKey` `name`/`id` is sorted in memory. */
export type TriggerListQuery = StoreListQuery<Trigger>;

/** A scheduled operation bound to a trigger, as a trigger update sees it (its binding item and the operation). */
export interface BoundOperation {
  id: string;
  operationType: string;
  planId: string;
}

/**
 * What a bound operation leads its plan to expect under the trigger's new
 * properties (docs/decisions.md §20); undefined: nothing (the trigger ended).
 */
export type ExpectationRefresh = (op: BoundOperation) => ScheduleExpectation | undefined;

/** The trigger store port (shared/features/triggers/store.ts). */
export interface TriggerStore {
  create(trigger: Trigger): Promise<void>;
  get(id: string): Promise<Trigger | undefined>;
  /**
   * Conditional on existence (NotFoundError otherwise) and, when
   * `expectedScheduledFrom` is given, on the stored properties still being the
   * ones that were read (ConflictError otherwise). With `refresh`, the
   * expectations of the plans whose operations use the trigger are rewritten
   * in the same transaction (the first REFRESH_IN_TRANSACTION plans; any
   * further ones in follow-up transactions right after), conditional on the
   * trigger's binding holding the operations read.
   */
  update(
    id: string,
    changes: Partial<Pick<Trigger, 'name' | 'properties' | 'scheduledFrom'>>,
    expectedScheduledFrom?: string,
    refresh?: ExpectationRefresh,
  ): Promise<Trigger>;
  /** Conditional on "not in use": DependencyError (424) or NotFoundError. */
  delete(id: string): Promise<void>;
  /** Newest first unless ascending; unknown marker: NotFoundError. */
  list(query: TriggerListQuery): Promise<Trigger[]>;
}

export interface TriggerDeps {
  triggers: TriggerStore;
  scheduler: TriggerScheduler;
  limits: TriggerLimits;
  clock: Clock;
  ids: IdGen;
}

export const triggerListRules: ListRules = {
  sortKeys: ['created_at', 'name', 'id'],
  memberFilters: ['name', 'type', 'properties'],
  allTenants: true,
};

export interface TriggerInput {
  name?: string;
  type?: string;
  properties?: Record<string, string | number>;
}

/**
 * The trigger's time rules, for the features that apply them: the operation
 * engine (when a trigger fires next, which schedule a stored trigger has) and
 * scheduled operations (a view's next run). ./calendar.ts implements it with
 * the calendar libraries (rrule, cron-parser and luxon, about 150 KB), which
 * load on first use: ./deps.ts triggerCalendar.
 */
export interface TriggerCalendar {
  /** A trigger's schedule from its properties; throws when they no longer pass the limits. */
  scheduleOf(properties: TriggerProperties, limits: TriggerLimits): TimeSchedule;
  /** The first occurrence after `after`, undefined when the schedule has none left; throws a too-costly error (isTooCostly). */
  nextOccurrence(schedule: TimeSchedule, after: Date): Date | undefined;
  /** The adapters' schedule of a stored trigger; undefined when its properties no longer parse. */
  storedSchedule(trigger: Trigger, limits: TriggerLimits): TriggerSchedule | undefined;
  /** A calendar rule whose occurrences cost more than the walk budget. */
  isTooCostly(error: unknown): boolean;
  /** The next `count` runs of a trigger after `now` (none before it took effect). */
  nextRuns(trigger: Trigger, now: Date, count: number): Date[];
  /**
   * What the trigger leads a plan to expect (docs/decisions.md §20): the
   * longest gap between its runs plus its window, in seconds, from when and
   * until when; undefined once it has fewer than two runs left.
   */
  expectedGap(trigger: Trigger, now: Date): { intervalSeconds: number; since: Date; until?: Date } | undefined;
}

/** The calendar, loaded with its libraries on first call. */
export type LoadCalendar = () => Promise<TriggerCalendar>;
