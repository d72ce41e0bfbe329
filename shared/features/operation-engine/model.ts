import type { OperationLog, OperationLogStore } from '../operation-logs/model';
import type { ScheduledOperationStore } from '../scheduled-operations/model';
import type { ServiceStore } from '../services/model';
import type { LoadCalendar, TriggerLimits, TriggerScheduler, TriggerStore } from '../triggers/model';
import type { Clock, IdGen, Log } from '../../kernel/ports';
import type { Outcome } from '../../observability/names';
import type { ProtectionService } from '../checkpoints/model';
import type { DrillService } from '../drills/model';
/** A run of one scheduled operation for one occurrence: the guard that makes it happen at most once. */
export interface Run {
  operationId: string;
  /** ISO 8601 of the occurrence (the expected start). */
  occurrence: string;
  logId: string;
}

export interface RunStore {
  /**
   * Records the run and its operation log in one conditional write; false when
   * this (operation, occurrence) was already recorded (a repeated delivery).
   */
  begin(run: Run, log: OperationLog): Promise<boolean>;
}

export interface FireTriggerDeps {
  triggers: Pick<TriggerStore, 'get'>;
  operations: Pick<ScheduledOperationStore, 'listByTrigger' | 'recordRun'>;
  runs: RunStore;
  logs: Pick<OperationLogStore, 'update'>;
  services: ServiceStore;
  protection: ProtectionService;
  /** The `verify` operations' drills (docs/decisions.md §24). */
  drills: DrillService;
  /** The trigger rules (or schedules): one whose trigger can fire no more is removed. */
  scheduler: TriggerScheduler;
  limits: TriggerLimits;
  /** The trigger's time rules (loaded with the calendar libraries on first use). */
  calendar: LoadCalendar;
  host: string;
  clock: Clock;
  ids: IdGen;
  /** Where a failure that must not stop a run is told (its last_run not recorded). */
  log: Log;
  /** Counts each run as it ends (the ScheduledRuns metric): `ran`, `failed`, or logged without running, `skipped` / `dropped`. */
  countRun: (outcome: Outcome<'ScheduledRuns'>) => void;
}

export type FireOutcome = (
  | {
      outcome: 'ignored';
      reason: 'unknown-trigger' | 'bad-time' | 'invalid-trigger' | 'not-an-occurrence' | 'before-schedule' | 'too-costly' | 'heartbeat';
    }
  | { outcome: 'handled'; occurrence: string; state: 'due' | 'dropped_out_of_window' | 'skipped'; ran: number; duplicates: number }
) & {
  /** The trigger's rule was removed: the trigger is gone, or its schedule has no occurrence left. */
  retired?: true;
};
