import type { ListRules, StoreListQuery } from '../../kernel/list-options';
import type { PlanLookup, ScheduleExpectation } from '../plans/model';
import type { LoadCalendar, TriggerStore } from '../triggers/model';
import type { Clock, IdGen } from '../../kernel/ports';
import { DRILL_OPERATION_TYPE } from '../drills/model';

/** Karbor's scheduled operation types (docs/contract.md §9.6), and our drills (`verify`, docs/decisions.md §24). */
export const OPERATION_TYPES = ['protect', 'retention_protect', DRILL_OPERATION_TYPE] as const;

/** A stored scheduled operation (Karbor's `scheduled_operations` row). */
export interface ScheduledOperation {
  id: string;
  projectId: string;
  /** The creator: runs act for this user (Karbor keeps a Keystone trust). */
  userId: string;
  name: string;
  description: string | null;
  operationType: string;
  triggerId: string;
  /** A map of strings (`max_backups: 3` -> `"3"`). */
  operationDefinition: Record<string, string>;
  enabled: boolean;
  /** ISO 8601. */
  createdAt: string;
  /** The latest run (written by the operation engine as it runs), null before the first. */
  lastRun: LastRun | null;
}

/** A run as the operation shows it: its operation log's start, status and id. */
export interface LastRun {
  /** ISO 8601 start of the run. */
  time: string;
  status: string;
  logId: string;
}

/** Newest first unless ascending; `sortKey` `name`/`id` is sorted in memory. */
export type OperationListQuery = StoreListQuery<ScheduledOperation>;

/** The scheduled-operation store port (shared/features/scheduled-operations/store.ts). */
export interface ScheduledOperationStore {
  /**
   * One transaction: the operation and its id added to the trigger's and the
   * plan's binding items (the trigger must exist in the project, the plan be
   * live in it), with what it leads the plan to expect on the plan's
   * compliance item (docs/decisions.md §20). NotFoundError naming the
   * trigger or plan that vanished meanwhile; with `triggerScheduledFrom`,
   * ConflictError when the trigger's properties changed since it was read.
   */
  create(op: ScheduledOperation, expectation?: ScheduleExpectation, triggerScheduledFrom?: string): Promise<void>;
  get(id: string): Promise<ScheduledOperation | undefined>;
  /** One transaction: the operation goes, the trigger's and plan's bindings lose it, and the plan its expectation. */
  delete(op: ScheduledOperation): Promise<void>;
  list(query: OperationListQuery): Promise<ScheduledOperation[]>;
  /** Every operation bound to a trigger (fire-trigger). */
  listByTrigger(triggerId: string): Promise<ScheduledOperation[]>;
  /** Sets `lastRun` unless a later run is recorded already; an operation deleted meanwhile stays deleted. */
  recordRun(id: string, run: LastRun): Promise<void>;
}

export interface ScheduledOperationDeps {
  operations: ScheduledOperationStore;
  triggers: Pick<TriggerStore, 'get'>;
  plans: PlanLookup;
  /** The trigger's time rules: what the operation leads its plan to expect. */
  calendar: LoadCalendar;
  clock: Clock;
  ids: IdGen;
}

export const operationListRules: ListRules = {
  sortKeys: ['created_at', 'name', 'id'],
  memberFilters: ['name', 'operation_type', 'trigger_id', 'operation_definition'],
  allTenants: true,
};

export interface CreateOperationInput {
  name?: string | null;
  description?: string | null;
  operation_type: string;
  trigger_id: string;
  operation_definition: Record<string, string | number | boolean>;
}

/**
 * What an operation on a trigger leads its plan to expect (docs/decisions.md
 * §20), from the trigger's gap (`expectedGap`); undefined once the trigger
 * has ended. A drill is met by a successful verification, the others (no
 * kind, as before drills) by a good checkpoint (§24). Its create, a trigger
 * update and the backfill (./migrate.ts) all build it here.
 */
export const expectationFor = (
  op: { id: string; operationType: string },
  triggerId: string,
  gap: { intervalSeconds: number; since: Date; until?: Date } | undefined,
): ScheduleExpectation | undefined =>
  gap && {
    operationId: op.id,
    ...(op.operationType === DRILL_OPERATION_TYPE ? { kind: 'verify' as const } : {}),
    triggerId,
    intervalSeconds: gap.intervalSeconds,
    since: gap.since.toISOString(),
    until: gap.until?.toISOString() ?? null,
  };
