import type { Checkpoint } from '../checkpoints/model';
import type { Plan } from '../plans/model';
import type { CheckpointRecords } from '../protection/model';

/**
 * The catalog import (docs/decisions.md §26): the catalog of checkpoints
 * rebuilt from a bank's checkpoint records (shared/features/protection/checkpoint-record.ts),
 * in the DR Region's own stack while the primary is gone, or here after
 * the table's items were deleted while the (locked) data survived.
 */

/** `primary`: the runtime's own bank; any other name: that destination's bank. */
export const PRIMARY_BANK = 'primary';

/** What the import writes; each write is conditional on the item being absent, so it never overwrites one. */
export interface CatalogImportStore {
  /** `exists`: an item with this id is already in the catalog (whatever its status): skipped. */
  importCheckpoint(c: Checkpoint): Promise<'imported' | 'exists'>;
  importPlan(plan: Plan): Promise<'imported' | 'exists'>;
}

export interface CatalogImportDeps {
  /** The records of a bank by name (PRIMARY_BANK or a destination); undefined for a name not configured. */
  records(bank: string): CheckpointRecords | undefined;
  catalog: CatalogImportStore;
  clock: { now(): Date };
  log(entry: Record<string, unknown>): void;
}

export interface CatalogImportRequest {
  bank: string;
  /** Every project's records, not only the caller's project. */
  allTenants: boolean;
}

export interface CatalogImportSummary {
  bank: string;
  /** Checkpoint items written. */
  imported: number;
  /** Records whose checkpoint is already in the catalog. */
  skipped: number;
  /** Plans written because their checkpoint's plan was not in the catalog (suspended, marked imported). */
  plansImported: number;
  /** Records that could not be read (named in the log). */
  unreadable: number;
}

/** The description of a plan the import wrote (the plan was gone: only its checkpoint's snapshot of it was left). */
export const IMPORTED_PLAN_DESCRIPTION = 'Imported from the bank by a catalog import (docs/decisions.md §26): rebuilt from a checkpoint, suspended.';
