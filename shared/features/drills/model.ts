import type { CheckpointSummary } from '../checkpoints/model';
import type { ProviderCatalog } from '../providers/model';
import type { VerificationStarter } from '../verifications/model';
import type { Clock, IdGen } from '../../kernel/ports';

/**
 * Drills (docs/decisions.md §24): a `verify` scheduled operation verifies its
 * plan's newest available checkpoint at each occurrence, at most one per
 * plan at a time and at most `concurrency` in the account.
 */
export const DRILL_OPERATION_TYPE = 'verify';

/** The depths a drill's `depth` key takes; `basic` (no scratch restore) unless `full` is asked for. */
export const DRILL_DEPTHS = ['basic', 'full'] as const;
export type DrillDepth = (typeof DRILL_DEPTHS)[number];

/**
 * A drill's guard found without its verification (the drill that took it is
 * still creating it, or died in between) holds for this long after it was
 * taken; then it is free.
 */
export const DRILL_START_GRACE_SECONDS = 300;

/**
 * Why a `verify` operation's definition is refused at create (400, Karbor's
 * message shape), else undefined: `depth` is basic or full, `max_bytes` (the
 * size cap of a `full` drill) a whole number of bytes from 1.
 */
export const drillDefinitionProblem = (definition: Record<string, string>): string | undefined => {
  const depth = definition.depth;
  if (depth !== undefined && !(DRILL_DEPTHS as readonly string[]).includes(depth)) {
    return `Invalid operation definition, reason:Depth must be one of ${DRILL_DEPTHS.join(', ')}`;
  }
  const cap = definition.max_bytes;
  if (cap !== undefined && !/^[1-9]\d{0,15}$/.test(String(cap))) {
    return 'Invalid operation definition, reason:max_bytes must be a whole number of bytes from 1';
  }
  return undefined;
};

/** What holds a seat: the drill's verification and when the seat was taken (ISO 8601). */
export interface DrillHolder {
  verificationId: string;
  takenAt: string;
}

/** A plan's drill guard and the account's drill slots, as stored now. */
export interface DrillSeats {
  plan: DrillHolder | undefined;
  slots: Map<number, DrillHolder>;
}

/** The drill guard items (./store.ts). */
export interface DrillGuardStore {
  read(planId: string): Promise<DrillSeats>;
  /**
   * Takes the plan's guard and slot `slot` for `holder` in one transaction,
   * each only if it still holds what was read (`seen`, or nothing):
   * `plan-busy` / `slot-busy` when another drill came first.
   */
  take(planId: string, slot: number, seen: { plan?: DrillHolder; slot?: DrillHolder }, holder: DrillHolder): Promise<'taken' | 'plan-busy' | 'slot-busy'>;
}

/** The scheduled operation a drill runs for (its view of a ScheduledOperation). */
export interface DrillRequest {
  id: string;
  projectId: string;
  userId: string;
  operationDefinition: Record<string, string>;
}

export type DrillOutcome =
  | {
      outcome: 'started';
      verificationId: string;
      checkpointId: string;
      depth: DrillDepth;
      /** Why a `full` drill runs at `basic`: the checkpoint is over the definition's `max_bytes`, or its size is unknown. */
      capped?: string;
    }
  /** Nothing ran: a drill of the plan is running, or the account's drills are at their cap. */
  | { outcome: 'skipped'; reason: string }
  /** The drill could not start: no available checkpoint, or its verification failed its pre-checks. */
  | { outcome: 'failed'; reason: string; checkpointId?: string; verificationId?: string };

/** What the operation engine calls at a `verify` operation's occurrence (./deps.ts drillService). */
export interface DrillService {
  drill(op: DrillRequest): Promise<DrillOutcome>;
}

export interface DrillDeps {
  checkpoints: { listCheckpoints(req: { projectId: string; providerId: string; planId: string }): Promise<CheckpointSummary[]> };
  verifications: VerificationStarter;
  providers: ProviderCatalog;
  guards: DrillGuardStore;
  /** Drills running at once in the account (KARBOR_DRILL_CONCURRENCY). */
  concurrency: number;
  clock: Clock;
  ids: IdGen;
}
